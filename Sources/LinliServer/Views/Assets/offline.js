// Forms marked data-offline keep working without signal: a submission that cannot reach the
// server waits in IndexedDB and is sent again, in order, when the signal comes back. Every text
// shown comes from the page (data attributes of #offline-queue), in the page's language.
(function () {
  'use strict';
  if (!window.fetch || !window.indexedDB || !window.URLSearchParams) return;
  if ('serviceWorker' in navigator) navigator.serviceWorker.register('/sw.js').catch(function () {});

  var region = document.getElementById('offline-queue');
  var STORE = 'queue';
  var sending = false;

  function text(name, count) {
    return ((region && region.getAttribute('data-' + name)) || '').replace('{count}', String(count));
  }

  function database() {
    return new Promise(function (resolve, reject) {
      var opening = indexedDB.open('linli-offline', 1);
      opening.onupgradeneeded = function () { opening.result.createObjectStore(STORE, { keyPath: 'id', autoIncrement: true }); };
      opening.onsuccess = function () { resolve(opening.result); };
      opening.onerror = function () { reject(opening.error); };
    });
  }

  function run(mode, work) {
    return database().then(function (db) {
      return new Promise(function (resolve, reject) {
        var transaction = db.transaction(STORE, mode);
        var request = work(transaction.objectStore(STORE));
        transaction.oncomplete = function () { db.close(); resolve(request.result); };
        transaction.onerror = function () { db.close(); reject(transaction.error); };
      });
    });
  }

  function waiting() { return run('readonly', function (store) { return store.getAll(); }); }

  function message(words) {
    var line = document.getElementById('offline-queue-message');
    if (!line || !region) return;
    line.textContent = words;
    line.hidden = !words;
    region.hidden = false;
  }

  // What the row of a household shows while its visit waits: the status chosen, marked as waiting.
  function mark(entry, pending) {
    var row = entry.row && document.getElementById(entry.row);
    var tag = row && row.querySelector('[data-status-tag]');
    if (!tag || !entry.status) return;
    tag.textContent = pending ? entry.status + ' · ' + text('pending', 0) : entry.status;
    if (pending) tag.className = 'tag tag-new';
  }

  function show() {
    return waiting().then(function (entries) {
      if (!region) return entries;
      var list = document.getElementById('offline-queue-list');
      list.textContent = '';
      entries.forEach(function (entry) {
        var item = document.createElement('li');
        item.textContent = entry.label;
        item.setAttribute('translate', 'no');
        list.appendChild(item);
        mark(entry, true);
      });
      document.getElementById('offline-queue-title').textContent = text('title', entries.length);
      var line = document.getElementById('offline-queue-message');
      region.hidden = entries.length === 0 && (!line || line.hidden);
      region.setAttribute('data-count', String(entries.length));
      return entries;
    });
  }

  function post(entry) {
    return fetch(entry.action, {
      method: 'POST', body: entry.body, credentials: 'same-origin', redirect: 'follow',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' }
    });
  }

  // Sends what waits, oldest first. Stops at the first that cannot get through (no signal, or the
  // server failing), so the order holds; a refusal other than a conflict is dropped and said.
  function send() {
    if (sending || !navigator.onLine) return Promise.resolve();
    sending = true;
    return waiting().then(function (entries) {
      return entries.reduce(function (previous, entry) {
        return previous.then(function (going) {
          if (!going) return false;
          return post(entry).then(function (response) {
            if (response.status >= 500) return false;
            return run('readwrite', function (store) { return store.delete(entry.id); }).then(function () {
              if (response.status === 409) message(text('settled', 0) + ' ' + entry.label);
              else if (response.status >= 400) message(text('refused', 0) + ' ' + entry.label);
              else mark(entry, false);
              return true;
            });
          }, function () { return false; });
        });
      }, Promise.resolve(true));
    }).then(function () { sending = false; return show(); }, function () { sending = false; });
  }

  function freshKey(form) {
    var field = form.querySelector('input[name="idempotency_key"]');
    if (!field || !window.crypto || !crypto.getRandomValues) return;
    var bytes = new Uint8Array(12);
    crypto.getRandomValues(bytes);
    field.value = Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join('');
  }

  document.addEventListener('submit', function (event) {
    var form = event.target;
    if (!form.hasAttribute || !form.hasAttribute('data-offline')) return;
    event.preventDefault();
    var chosen = form.querySelector('select[name="status"]') || form.querySelector('input[name="status"]:checked');
    var option = chosen && chosen.tagName === 'SELECT' ? chosen.options[chosen.selectedIndex] : chosen && form.querySelector('label[for="' + chosen.id + '"]');
    var entry = {
      action: form.action,
      body: new URLSearchParams(new FormData(form)).toString(),
      created: Date.now(),
      label: (form.getAttribute('data-offline-label') || '') + (option ? ' · ' + option.textContent : ''),
      row: form.getAttribute('data-offline-row') || '',
      status: option ? option.textContent : '',
      statusValue: chosen ? chosen.value : ''
    };
    var button = form.querySelector('button');
    function keep() {
      return run('readwrite', function (store) { return store.add(entry); }).then(function () { freshKey(form); return show(); });
    }
    if (!navigator.onLine) { keep(); return; }
    if (button) button.disabled = true;
    post(entry).then(function (response) {
      if (button) button.disabled = false;
      if (response.status >= 500) return keep();
      if (response.ok) { window.location.href = response.url; return; }
      // Refused (a field in error): the server's own page says why.
      HTMLFormElement.prototype.submit.call(form);
    }, function () {
      if (button) button.disabled = false;
      return keep();
    });
  });

  window.addEventListener('online', send);
  // Signal can come back without an 'online' event (a stairwell's weak cell): try again now and then.
  setInterval(function () { if (region && region.getAttribute('data-count') !== '0') send(); }, 20000);
  show().then(send);
})();
