from carebridge.interop.models.messages import InboundMessage, MessageTransition
from carebridge.interop.models.senders import CodeMapping, Sender

__all__ = ["CodeMapping", "InboundMessage", "MessageTransition", "Sender"]
