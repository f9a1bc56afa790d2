/* fix-email-auth: a little progressive enhancement, nothing the pages need to work.
   - A job page polls its JSON (the URL is built server-side, so it works through cPanel's and WHM's
     relays) and shows progress as it happens; when the job ends the page reloads to its final state.
   - The domain table gets a "select all" box.
   Plain ES5 in an IIFE: defines no globals and no AMD module, never touches define/require
   (cPanel's Jupiter theme runs RequireJS on the same page). Text is set with textContent only. */
(function () {
  'use strict';

  var FINAL = { done: true, failed: true, cancelled: true };

  function text(el, value) {
    if (el) el.textContent = value;
  }

  function renderSteps(list, steps) {
    while (list.firstChild) list.removeChild(list.firstChild);
    steps.forEach(function (s) {
      var li = document.createElement('li');
      li.className = 'step step-' + s.state;
      var label = document.createElement('span');
      label.className = 'step-label';
      label.textContent = s.label;
      var state = document.createElement('span');
      state.className = 'step-state';
      state.textContent = s.stateLabel;
      var messages = document.createElement('ul');
      messages.className = 'step-messages';
      s.messages.forEach(function (m) {
        var item = document.createElement('li');
        item.textContent = m;
        messages.appendChild(item);
      });
      li.appendChild(label);
      li.appendChild(document.createTextNode(' '));
      li.appendChild(state);
      li.appendChild(messages);
      list.appendChild(li);
    });
  }

  function progressText(p) {
    var finished = p.done + p.failed + p.skipped + p.cancelled;
    return finished + ' of ' + p.total + ' finished (' + p.done + ' done, ' + p.skipped + ' needed nothing, ' + p.failed + ' failed' + (p.cancelled ? ', ' + p.cancelled + ' cancelled' : '') + ')';
  }

  function poll(box) {
    var url = box.getAttribute('data-job-poll');
    var status = box.querySelector('[data-job-status]');
    var progress = box.querySelector('[data-job-progress]');
    var steps = box.querySelector('[data-steps]');
    var failures = 0;

    function tick() {
      if (!window.fetch) return;
      window
        .fetch(url, { headers: { Accept: 'application/json' }, credentials: 'same-origin' })
        .then(function (res) {
          if (!res.ok) throw new Error('HTTP ' + res.status);
          return res.json();
        })
        .then(function (data) {
          failures = 0;
          var job = data.job;
          if (status) {
            status.setAttribute('data-job-status', job.status);
            status.className = 'status status-' + job.status;
            text(status, job.status);
          }
          text(progress, progressText(job.progress));
          (data.items || []).forEach(function (item) {
            var row = box.querySelector('[data-item-seq="' + item.seq + '"]');
            if (row) {
              text(row.querySelector('[data-item-status]'), item.status);
              text(row.querySelector('[data-item-step]'), item.step || '');
            }
          });
          if (steps && data.items && data.items[0]) renderSteps(steps, data.items[0].steps);
          if (FINAL[job.status]) window.location.reload();
          else window.setTimeout(tick, 1000);
        })
        .catch(function () {
          failures += 1;
          if (failures < 30) window.setTimeout(tick, 2000);
        });
    }
    window.setTimeout(tick, 500);
  }

  function selectAll(box) {
    var form = box.form;
    box.hidden = false;
    box.addEventListener('change', function () {
      var boxes = form ? form.querySelectorAll('[data-select]') : [];
      for (var i = 0; i < boxes.length; i++) boxes[i].checked = box.checked;
    });
  }

  function start() {
    var boxes = document.querySelectorAll('[data-job-poll]');
    for (var i = 0; i < boxes.length; i++) poll(boxes[i]);
    var all = document.querySelectorAll('[data-select-all]');
    for (var j = 0; j < all.length; j++) selectAll(all[j]);
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
