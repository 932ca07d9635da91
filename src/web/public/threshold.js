// Threshold's progressive enhancements. Every page works without this file.
import { initAll } from './govuk-frontend.min.js';

// 0. The GOV.UK Frontend components (conditional reveals, error summary focus, password show/hide …).
//    The template marks the body govuk-frontend-supported, which hides conditional content until
//    initAll() wires up the radios and checkboxes that reveal it.
initAll();

const script = document.querySelector('script[data-csrf]');
const csrf = script ? script.getAttribute('data-csrf') : '';

// 1. Drafts: forms marked data-autosave send what has been typed every few seconds after a change,
//    so a time-out, a crash or a closed laptop loses nothing.
function saveDraft(form) {
  const data = new URLSearchParams(new FormData(form));
  data.delete('_csrf');
  return fetch('/drafts?key=' + encodeURIComponent(form.getAttribute('data-autosave') || location.pathname), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-csrf-token': csrf },
    body: data,
    credentials: 'same-origin',
  }).catch(() => undefined);
}
for (const form of document.querySelectorAll('form[data-autosave]')) {
  let timer = null;
  form.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => saveDraft(form), 3000);
  });
}

// 2. Idle time-out: warn before the session ends, offer to stay signed in, save drafts, then sign out.
const dialog = document.getElementById('session-timeout');
if (dialog) {
  const idleMs = Number(dialog.getAttribute('data-idle-ms'));
  const warningMs = Number(dialog.getAttribute('data-warning-ms'));
  const remaining = dialog.querySelector('.app-session-timeout__remaining');
  const button = dialog.querySelector('[data-session-extend]');
  let deadline = Date.now() + idleMs;
  let lastFocus = null;
  const show = () => {
    if (!dialog.hidden) return;
    lastFocus = document.activeElement;
    dialog.hidden = false;
    button.focus();
  };
  const hide = () => {
    dialog.hidden = true;
    if (lastFocus && lastFocus.focus) lastFocus.focus();
  };
  button.addEventListener('click', async () => {
    const response = await fetch('/session/extend', {
      method: 'POST',
      headers: { 'x-csrf-token': csrf },
      credentials: 'same-origin',
    });
    if (response.ok) {
      deadline = Date.now() + idleMs;
      draftsSaved = false;
      hide();
    }
  });
  dialog.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') button.click();
    if (event.key === 'Tab') {
      event.preventDefault();
      button.focus();
    }
  });
  let draftsSaved = false;
  setInterval(async () => {
    const left = deadline - Date.now();
    if (left <= 15000 && !draftsSaved) {
      draftsSaved = true;
      await Promise.all([...document.querySelectorAll('form[data-autosave]')].map(saveDraft));
    }
    if (left <= 0) {
      // End the session on the server too, then go to sign in (drafts were saved just before).
      await fetch('/sign-out', {
        method: 'POST',
        headers: { 'x-csrf-token': csrf },
        credentials: 'same-origin',
        redirect: 'manual',
      }).catch(() => undefined);
      location.href =
        '/sign-in?timedOut=1&returnTo=' + encodeURIComponent(location.pathname + location.search);
      return;
    }
    if (left <= warningMs) {
      const minutes = Math.ceil(left / 60000);
      remaining.textContent = minutes <= 1 ? 'less than a minute' : minutes + ' minutes';
      show();
    }
  }, 1000);
}
