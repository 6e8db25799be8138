"""What the interfaces register with the rest of CareBridge; ``apps.InteropConfig.ready()`` imports this
module. Nothing yet: the interfaces call the other apps' services and listen to no event."""
