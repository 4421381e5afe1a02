// Search-as-you-type for a filter field that would otherwise be a select of a thousand options
// (the communes): <input data-suggest="/api/…?q=" list="ID"> gets a <datalist> of the API's
// matches (same folded search as everywhere: case and accents ignored) while the user types.
(function () {
  "use strict";
  for (const input of document.querySelectorAll("input[data-suggest]")) {
    const id = input.getAttribute("list");
    let list = document.getElementById(id);
    if (!list) {
      list = document.createElement("datalist");
      list.id = id;
      input.after(list);
    }
    let timer = null;
    let asked = "";
    input.addEventListener("input", function () {
      clearTimeout(timer);
      const text = input.value.trim();
      if (text.length < 2 || /^\d{5}$/.test(text) || text === asked) return;
      timer = setTimeout(async function () {
        asked = text;
        try {
          const response = await fetch(input.dataset.suggest + encodeURIComponent(text),
                                       {headers: {Accept: "application/json"}});
          if (!response.ok) return;  // an operator account may not list communes: type a code
          const body = await response.json();
          list.replaceChildren(...(body.results || []).map(function (row) {
            const option = document.createElement("option");
            option.value = row.insee;
            const department = row.department && (row.department.code || row.department);
            option.label = row.name + (department ? " (" + department + ")" : "");
            return option;
          }));
        } catch (error) {
          /* no suggestions offline; the field still takes a code */
        }
      }, 150);
    });
  }
})();
