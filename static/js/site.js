/* Tables become labelled cards on narrow screens (site.css, "Phones"): each
   cell gets its column's header as data-label, which the card shows beside
   the value. Without this script the table stays a table in its scroll box. */
(function () {
  "use strict";
  var tables = document.querySelectorAll(".table-wrap > table");
  Array.prototype.forEach.call(tables, function (table) {
    var head = table.tHead;
    if (!head || !head.rows.length) {
      return;
    }
    var labels = [];
    Array.prototype.forEach.call(head.rows[head.rows.length - 1].cells, function (cell) {
      for (var span = 0; span < cell.colSpan; span += 1) {
        labels.push(cell.textContent.replace(/\s+/g, " ").trim());
      }
    });
    var groups = Array.prototype.slice.call(table.tBodies);
    if (table.tFoot) {
      groups.push(table.tFoot);
    }
    groups.forEach(function (group) {
      Array.prototype.forEach.call(group.rows, function (row) {
        var column = 0;
        Array.prototype.forEach.call(row.cells, function (cell) {
          var label = labels[column];
          if (label && cell.colSpan === 1 && !cell.hasAttribute("data-label")) {
            cell.setAttribute("data-label", label);
          }
          column += cell.colSpan;
        });
      });
    });
    table.classList.add("table--cards");
  });
})();
