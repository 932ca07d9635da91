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
//    Typing counts as activity: it keeps the session alive (at most one call a minute), and a warning that
//    appears while someone is typing in a field never takes the keyboard focus from it.
const dialog = document.getElementById('session-timeout');
if (dialog) {
  const idleMs = Number(dialog.getAttribute('data-idle-ms'));
  const warningMs = Number(dialog.getAttribute('data-warning-ms'));
  const keepAliveMs = Math.min(60000, Math.max(1000, idleMs / 10));
  const remaining = dialog.querySelector('.app-session-timeout__remaining');
  const announce = document.getElementById('session-timeout-announce');
  const button = dialog.querySelector('[data-session-extend]');
  const box = dialog.querySelector('[role=alertdialog]');
  let deadline = Date.now() + idleMs;
  let lastExtend = Date.now();
  let lastFocus = null;
  let draftsSaved = false;
  const isField = (element) =>
    !!element && !!element.matches && element.matches('input, textarea, select, [contenteditable]');
  const show = () => {
    if (!dialog.hidden) return;
    dialog.hidden = false;
    if (isField(document.activeElement) && !dialog.contains(document.activeElement)) {
      // Someone is in a field: leave the focus there, and say it aloud instead.
      lastFocus = null;
      box.setAttribute('aria-modal', 'false');
      if (announce)
        announce.textContent =
          'You will be signed out in ' +
          remaining.textContent +
          ' if you do nothing. Typing keeps you signed in.';
    } else {
      lastFocus = document.activeElement;
      box.setAttribute('aria-modal', 'true');
      button.focus();
    }
  };
  const hide = () => {
    if (dialog.hidden) return;
    dialog.hidden = true;
    if (announce) announce.textContent = '';
    if (lastFocus && lastFocus.focus) lastFocus.focus();
    lastFocus = null;
  };
  const extend = async () => {
    lastExtend = Date.now();
    const response = await fetch('/session/extend', {
      method: 'POST',
      headers: { 'x-csrf-token': csrf },
      credentials: 'same-origin',
    }).catch(() => null);
    if (response && response.ok) {
      deadline = Date.now() + idleMs;
      draftsSaved = false;
      hide();
    }
  };
  button.addEventListener('click', extend);
  // Typing or choosing in any field of the page is activity (not in the warning itself).
  const activity = (event) => {
    if (dialog.contains(event.target)) return;
    if (!dialog.hidden || Date.now() - lastExtend >= keepAliveMs) extend();
  };
  document.addEventListener('input', activity, true);
  document.addEventListener('change', activity, true);
  dialog.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') button.click();
    if (event.key === 'Tab' && box.getAttribute('aria-modal') === 'true') {
      event.preventDefault();
      button.focus();
    }
  });
  setInterval(async () => {
    const left = deadline - Date.now();
    if (left <= 15000 && !draftsSaved) {
      draftsSaved = true;
      await Promise.all([...document.querySelectorAll('form[data-autosave]')].map(saveDraft));
    }
    if (left <= 0) {
      // End the session on the server too, then go to sign in (drafts were saved just before).
      const kept = document.querySelector('form[data-autosave]') ? '&kept=1' : '';
      await fetch('/sign-out', {
        method: 'POST',
        headers: { 'x-csrf-token': csrf },
        credentials: 'same-origin',
        redirect: 'manual',
      }).catch(() => undefined);
      location.href =
        '/sign-in?timedOut=1' + kept + '&returnTo=' + encodeURIComponent(location.pathname + location.search);
      return;
    }
    if (left <= warningMs) {
      const minutes = Math.ceil(left / 60000);
      remaining.textContent = minutes <= 1 ? 'less than a minute' : minutes + ' minutes';
      show();
    }
  }, 1000);
}
