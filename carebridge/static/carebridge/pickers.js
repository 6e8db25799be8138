/* Searchable pickers (Tom Select, served from /static/vendor/): a select with data-picker="multi" becomes a
   multi-select you can type into; data-picker="patient" searches the registry (data-url, ?q=) as you type.
   Without JavaScript the plain selects still work. */
(function () {
  "use strict";
  if (typeof TomSelect === "undefined") { return; }
  var texts = (document.getElementById("picker-texts") || { dataset: {} }).dataset;
  function render(empty) {
    return {
      no_results: function () { return '<div class="no-results small text-muted">' + (texts.noResults || "") + "</div>"; },
      option_create: function () { return ""; },
      no_more_results: function () { return ""; },
      loading: function () { return '<div class="spinner-border spinner-border-sm m-2" role="status"></div>'; },
      not_loading: function () { return empty ? '<div class="small text-muted p-2">' + empty + "</div>" : ""; }
    };
  }
  document.querySelectorAll("select[data-picker=multi]").forEach(function (select) {
    new TomSelect(select, {
      plugins: ["remove_button"], maxOptions: 500, hidePlaceholder: true,
      placeholder: texts.search || "", render: render("")
    });
  });
  document.querySelectorAll("select[data-picker=patient]").forEach(function (select) {
    var url = select.dataset.url;
    new TomSelect(select, {
      valueField: "id", labelField: "label", searchField: ["label"], maxItems: 1, maxOptions: 10,
      score: function () { return function () { return 1; }; },  // the server searched; show all it found
      loadThrottle: 300, placeholder: texts.typeMore || "", allowEmptyOption: false,
      shouldLoad: function (query) { return query.trim().length >= 1; },
      load: function (query, callback) {
        var self = this;
        self.clearOptions();
        fetch(url + "?q=" + encodeURIComponent(query), { credentials: "same-origin", headers: { "Accept": "application/json" } })
          .then(function (response) { return response.json(); })
          .then(function (data) { callback(data.results); })
          .catch(function () { callback(); });
      },
      render: render(texts.typeMore || "")
    });
  });
})();
