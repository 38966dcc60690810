/* Klimatavtalet counter embed: fills every element marked data-klimatavtal-counter
   (data-lang="en" for English) with the store's live count. No dependencies. */
(function () {
  "use strict";
  var script = document.currentScript;
  var base = script ? new URL(script.src).origin : "";
  var places = document.querySelectorAll("[data-klimatavtal-counter]");
  Array.prototype.forEach.call(places, function (place) {
    var lang = place.getAttribute("data-lang") === "en" ? "en" : "sv";
    fetch(base + "/widget/counter.json?lang=" + lang)
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (data) { place.textContent = data.progress ? data.text + " (" + data.progress + ")" : data.text; }
      })
      .catch(function () { /* the placeholder's own text stays */ });
  });
})();
