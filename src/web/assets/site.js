/*
 * Court forms helper: progressive enhancement only. Every page works without this file; with it,
 * the quick exit also leaves on the Escape key and locks the session, an idle page locks itself,
 * and the error summary takes focus.
 */
(function () {
  'use strict';

  var body = document.body;
  var exitLink = document.getElementById('quick-exit');
  var lockForm = document.getElementById('lock-form');
  var sessionOpen = body.getAttribute('data-session') === 'open';

  function csrfToken() {
    var input = document.querySelector('input[name="_csrf"]');
    return input ? input.value : '';
  }

  function post(path) {
    var data = new URLSearchParams();
    data.set('_csrf', csrfToken());
    if (navigator.sendBeacon && navigator.sendBeacon(path, data)) return;
    try {
      fetch(path, { method: 'POST', body: data, credentials: 'same-origin', keepalive: true });
    } catch {
      // Leaving matters more than the lock: the session also locks itself when idle.
    }
  }

  // ---- quick exit: replace this history entry, leave nothing behind that the page stored ----
  var leaving = false;

  function quickExit() {
    if (leaving || !exitLink) return;
    leaving = true;
    body.hidden = true;
    try {
      window.sessionStorage.clear();
      window.localStorage.clear();
    } catch {
      // Storage can be unavailable (private modes, settings); there is then nothing to clear.
    }
    if (sessionOpen) post('/lock');
    window.location.replace(exitLink.href);
  }

  if (exitLink) {
    exitLink.addEventListener('click', function (event) {
      event.preventDefault();
      quickExit();
    });
  }

  document.addEventListener('keydown', function (event) {
    if (event.key !== 'Escape' && event.key !== 'Esc') return;
    if (event.isComposing || event.repeat) return;
    quickExit();
  });

  // A page restored from the back-forward cache would show answers without asking the server.
  window.addEventListener('pageshow', function (event) {
    if (event.persisted) window.location.reload();
  });

  // ---- idle lock, and telling the server a petitioner who is typing is still here -------------
  var idleSeconds = Number(body.getAttribute('data-idle-seconds')) || 0;

  if (sessionOpen && lockForm && idleSeconds > 0) {
    var lastActivity = Date.now();
    var lastPing = Date.now();
    var pingEvery = Math.max(30, Math.min(120, Math.floor(idleSeconds / 3))) * 1000;
    var locking = false;

    var lockNow = function () {
      if (locking) return;
      locking = true;
      body.hidden = true;
      lockForm.submit();
    };

    var keepAlive = function () {
      var data = new URLSearchParams();
      data.set('_csrf', csrfToken());
      fetch('/alive', { method: 'POST', body: data, credentials: 'same-origin' })
        .then(function (response) {
          if (response.redirected && /\/locked$/.test(response.url)) {
            window.location.replace('/locked');
          }
        })
        .catch(function () {
          // Offline for a moment: the next activity tries again.
        });
    };

    var activity = function () {
      var now = Date.now();
      if (now - lastActivity >= idleSeconds * 1000) {
        lockNow();
        return;
      }
      lastActivity = now;
      if (now - lastPing >= pingEvery) {
        lastPing = now;
        keepAlive();
      }
    };

    ['keydown', 'input', 'pointerdown', 'touchstart', 'scroll', 'focusin'].forEach(function (name) {
      document.addEventListener(name, activity, { passive: true, capture: true });
    });

    // Timers slow down in background tabs, so elapsed time is measured, not counted.
    var check = function () {
      if (Date.now() - lastActivity >= idleSeconds * 1000) lockNow();
    };
    window.setInterval(check, 5000);
    document.addEventListener('visibilitychange', check);
  }

  // ---- follow-up questions: shown only once the answer they follow calls for them -------------
  var conditionals = Array.prototype.slice.call(document.querySelectorAll('[data-show-if]'));

  function inputsNamed(form, name) {
    return Array.prototype.slice.call(form.querySelectorAll('[name="' + name + '"]'));
  }

  function textOf(input) {
    var text = input ? input.value.trim() : '';
    return text === '' ? undefined : text;
  }

  // The answer as the interview stores it, so the page's conditions read like the server's.
  function answerOf(form, condition) {
    var id = condition.q;
    if (condition.part) return textOf(inputsNamed(form, id + '.' + condition.part)[0]);
    var inputs = inputsNamed(form, id);
    if (condition.kind === 'multipleChoice') {
      return inputs.filter((i) => i.checked).map((i) => i.value);
    }
    if (condition.kind === 'yesNo' || condition.kind === 'singleChoice') {
      var checked = inputs.filter((i) => i.checked)[0];
      if (!checked) return undefined;
      if (condition.kind === 'yesNo' && checked.value === 'yes') return true;
      if (condition.kind === 'yesNo' && checked.value === 'no') return false;
      return checked.value;
    }
    var text = textOf(inputs[0]);
    if (condition.kind === 'number' && text !== undefined && /^\d+$/.test(text))
      return Number(text);
    return text;
  }

  function holds(form, condition) {
    if ('all' in condition) return condition.all.every((c) => holds(form, c));
    if ('any' in condition) return condition.any.some((c) => holds(form, c));
    if ('not' in condition) return !holds(form, condition.not);
    var value = answerOf(form, condition);
    if ('equals' in condition) return value === condition.equals;
    if ('in' in condition) return condition.in.indexOf(value) >= 0;
    if ('includes' in condition) {
      return Array.isArray(value) && value.indexOf(condition.includes) >= 0;
    }
    if ('truthy' in condition) return Boolean(value);
    return Array.isArray(value) ? value.length > 0 : typeof value === 'string' && value !== '';
  }

  var followUps = conditionals
    .map((element) => {
      try {
        return { element: element, condition: JSON.parse(element.getAttribute('data-show-if')) };
      } catch {
        return null;
      }
    })
    .filter((followUp) => followUp !== null && followUp.element.closest('form'));

  function showFollowUps() {
    followUps.forEach((followUp) => {
      followUp.element.hidden = !holds(followUp.element.closest('form'), followUp.condition);
    });
  }

  if (followUps.length > 0) {
    // The script shows and hides them itself, so the "answer only if" lines are not needed.
    followUps.forEach((followUp) => {
      var line = followUp.element.querySelector('.conditional-hint');
      if (line) line.hidden = true;
    });
    var stepForm = followUps[0].element.closest('form');
    stepForm.addEventListener('change', showFollowUps);
    stepForm.addEventListener('input', showFollowUps);
    showFollowUps();
  }

  // ---- errors: focus the summary; its links focus the field they name -------------------------
  var summary = document.getElementById('error-summary');
  if (summary) {
    summary.focus();
    summary.addEventListener('click', function (event) {
      var link = event.target.closest ? event.target.closest('a[href^="#"]') : null;
      if (!link) return;
      var target = document.getElementById(link.getAttribute('href').slice(1));
      if (!target) return;
      var field = target.matches('input, textarea, select, button')
        ? target
        : target.querySelector('input, textarea, select, button');
      if (!field) return;
      event.preventDefault();
      var label =
        target.querySelector('legend') || document.querySelector('label[for="' + field.id + '"]');
      (label || target).scrollIntoView();
      field.focus({ preventScroll: true });
    });
  }

  // ---- making papers takes a while: one press is enough -------------------------------------
  var finishForm = document.querySelector('.finish-form');
  if (finishForm) {
    var sent = false;
    finishForm.addEventListener('submit', function (event) {
      if (sent) {
        event.preventDefault();
        return;
      }
      sent = true;
      var button = document.getElementById('finish');
      if (button) button.setAttribute('aria-disabled', 'true');
    });
  }

  // ---- staff batches: the template link follows the chosen pack ---------------------------------
  var packSelect = document.getElementById('batch-pack');
  var templateLink = document.getElementById('template-link');
  var templatePack = document.getElementById('template-pack');

  if (packSelect && templateLink && templatePack) {
    packSelect.addEventListener('change', function () {
      var option = packSelect.options[packSelect.selectedIndex];
      templateLink.hidden = !packSelect.value;
      if (!packSelect.value || !option) return;
      templateLink.href =
        '/staff/batches/template.csv?packId=' + encodeURIComponent(packSelect.value);
      templatePack.textContent = option.text;
    });
  }

  // A file becomes a batch once: a second press while the first is sent would make another.
  var uploadForm = document.querySelector('form.batch-upload');
  if (uploadForm) {
    var uploading = false;
    uploadForm.addEventListener('submit', function (event) {
      if (uploading) {
        event.preventDefault();
        return;
      }
      uploading = true;
    });
  }

  // ---- staff batches: progress as it happens, read from the batch's server-sent events -------
  var progressPanel = document.querySelector('[data-batch-events]');
  var eventsUrl = progressPanel ? progressPanel.getAttribute('data-batch-events') : null;

  if (progressPanel && eventsUrl && /^\/batches\/[0-9a-f-]{36}\/events$/.test(eventsUrl)) {
    if (typeof window.EventSource === 'function') followBatch(eventsUrl);
  }

  function followBatch(url) {
    var bar = document.getElementById('batch-progress');
    var progressText = document.getElementById('batch-progress-text');
    var statusWord = document.getElementById('batch-status');
    var announcer = document.getElementById('batch-announce');
    var refresh = document.getElementById('batch-refresh');
    var finishedPanel = document.getElementById('batch-finished');
    var cancelForm = document.getElementById('batch-cancel');
    var kinds = ['queued', 'running', 'done', 'failed', 'cancelled'];
    // Screen readers hear the progress at most this often, however often the counts change.
    var announceEveryMs = 15000;
    var lastAnnounced = 0;
    var pendingTimer = null;
    var pendingText = '';

    function number(n) {
      return Number(n).toLocaleString('en');
    }

    function statusText(p) {
      if (p.status === 'queued') return 'Waiting to start';
      if (p.status === 'running') return 'Running';
      if (p.status === 'cancelled') return 'Cancelled';
      var failed = p.counts.failed;
      if (failed > 0)
        return 'Finished, ' + number(failed) + (failed === 1 ? ' row' : ' rows') + ' failed';
      return 'Finished';
    }

    function totals(p) {
      var total = 0;
      kinds.forEach(function (k) {
        total += Number(p.counts[k]) || 0;
      });
      return {
        total: Math.max(1, total),
        finished: (p.counts.done || 0) + (p.counts.failed || 0) + (p.counts.cancelled || 0),
      };
    }

    function show(p) {
      var t = totals(p);
      if (bar) {
        bar.max = t.total;
        bar.value = t.finished;
        bar.textContent = t.finished + ' of ' + t.total;
      }
      if (progressText) {
        progressText.textContent =
          number(t.finished) +
          ' of ' +
          number(t.total) +
          (t.total === 1 ? ' row' : ' rows') +
          ' finished';
      }
      if (statusWord) statusWord.textContent = statusText(p);
      kinds.forEach(function (k) {
        var cell = document.getElementById('batch-count-' + k);
        if (cell) cell.textContent = number(p.counts[k] || 0);
      });
    }

    function sentence(p) {
      var t = totals(p);
      var text = number(t.finished) + ' of ' + number(t.total) + ' rows finished';
      if (p.counts.failed > 0) text += ', ' + number(p.counts.failed) + ' failed';
      return text + '.';
    }

    function announce(text) {
      if (!announcer) return;
      lastAnnounced = Date.now();
      announcer.textContent = text;
    }

    function announceSoon(text) {
      pendingText = text;
      if (pendingTimer !== null) return;
      var wait = Math.max(0, lastAnnounced + announceEveryMs - Date.now());
      pendingTimer = window.setTimeout(function () {
        pendingTimer = null;
        announce(pendingText);
      }, wait);
    }

    function read(event) {
      try {
        var p = JSON.parse(event.data);
        return p && p.counts ? p : null;
      } catch {
        return null;
      }
    }

    var source = new window.EventSource(url);
    // The counts keep themselves up to date; the link stays for when the stream cannot.
    if (refresh) refresh.hidden = true;
    // The first announcement waits a full interval: the page has just said where things stand.
    lastAnnounced = Date.now();

    source.addEventListener('progress', function (event) {
      var p = read(event);
      if (!p) return;
      show(p);
      announceSoon(sentence(p));
    });

    source.addEventListener('done', function (event) {
      source.close();
      var p = read(event);
      if (!p) return;
      show(p);
      if (pendingTimer !== null) window.clearTimeout(pendingTimer);
      pendingTimer = null;
      if (cancelForm) cancelForm.hidden = true;
      if (finishedPanel) finishedPanel.hidden = false;
      announce('Every row has finished: ' + sentence(p) + ' The packets can be downloaded.');
    });

    source.addEventListener('error', function () {
      // Closed for good (signed out, batch gone): the page goes back to its Refresh link.
      if (source.readyState === window.EventSource.CLOSED && refresh) refresh.hidden = false;
    });
  }
})();
