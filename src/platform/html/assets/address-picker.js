// Address picker (progressive enhancement; the form works without it). For each
// [data-address-picker] block: once a province is chosen, the commune <select> keeps only that
// province's <optgroup data-group="code">, and a text box above it filters the communes as one
// types (accents ignored). Labels come from the page (data-filter-label): no text lives here.
(function () {
  'use strict';

  function fold(text) {
    return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[đĐ]/g, 'd').toLowerCase().trim();
  }

  function setup(root) {
    var province = root.querySelector('select[name$=".provinceCode"]');
    var commune = root.querySelector('select[name$=".communeCode"]');
    if (!province || !commune || root.hasAttribute('data-address-ready')) return;
    root.setAttribute('data-address-ready', '');

    var groups = Array.prototype.map.call(commune.querySelectorAll('optgroup'), function (group) {
      return { group: group, key: group.getAttribute('data-group'), options: Array.prototype.slice.call(group.children) };
    });

    var box = document.createElement('div');
    box.className = 'address-filter';
    var label = document.createElement('label');
    var filter = document.createElement('input');
    filter.type = 'search';
    filter.id = commune.id + '-filter';
    filter.autocomplete = 'off';
    filter.setAttribute('aria-controls', commune.id);
    label.htmlFor = filter.id;
    label.textContent = root.getAttribute('data-filter-label') || '';
    box.appendChild(label);
    box.appendChild(filter);
    commune.parentNode.insertBefore(box, commune);

    function apply() {
      var code = province.value;
      var query = fold(filter.value);
      var selected = commune.value;
      var keep = selected === '';
      groups.forEach(function (entry) {
        if (entry.group.parentNode) entry.group.parentNode.removeChild(entry.group);
        while (entry.group.firstChild) entry.group.removeChild(entry.group.firstChild);
        if (code && entry.key !== code) return;
        entry.options.forEach(function (option) {
          var isSelected = option.value === selected;
          if (isSelected || !query || fold(option.textContent).indexOf(query) !== -1) {
            entry.group.appendChild(option);
            if (isSelected) keep = true;
          }
        });
        if (entry.group.children.length > 0) commune.appendChild(entry.group);
      });
      commune.value = keep ? selected : '';
    }

    province.addEventListener('change', function () {
      filter.value = '';
      apply();
    });
    filter.addEventListener('input', apply);
    apply();
  }

  Array.prototype.forEach.call(document.querySelectorAll('[data-address-picker]'), setup);
})();
