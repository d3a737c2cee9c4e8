// Diary entry form: choosing a product picks the unit its dose is measured in (kg or l),
// so a routine entry is the product, the quantity and "Save".
(function () {
  "use strict";
  var data = document.getElementById("product-units");
  var form = document.getElementById("entry-form");
  if (!data || !form) {
    return;
  }
  var units = JSON.parse(data.textContent || "{}");
  form.querySelectorAll("select[data-dose-units]").forEach(function (select) {
    select.addEventListener("change", function () {
      var unit = units[select.value];
      var index = select.name.split("_").pop();
      var unitSelect = form.querySelector("select[name='unit_" + index + "']");
      if (unit && unitSelect) {
        unitSelect.value = unit;
      }
    });
  });
})();
