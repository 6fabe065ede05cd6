import { render } from 'preact';
import { App, preload } from './app/App.jsx';
import { loadArea } from './i18n/index.js';
import './styles/base.css';
import './styles/print.css';

// The shell's own strings first, so the first paint is already in the reader's language; the
// opening screen's own files load meanwhile.
preload(window.location.pathname);
loadArea('common').finally(() => render(<App />, document.getElementById('app')));

// The worker's install downloads the offline screens (half a megabyte): on a first visit it waits
// until the page has loaded and settled, so it does not compete with what the person came for
// (on a slow phone, Lighthouse saw it keep the main thread busy for over half a second).
if ('serviceWorker' in navigator && import.meta.env.PROD) {
  const register = () => navigator.serviceWorker.register('/sw.js').catch(() => {});
  window.addEventListener('load', () => {
    if (navigator.serviceWorker.controller) register(); // installed before: only an update check
    else setTimeout(() => (window.requestIdleCallback || setTimeout)(register), 5000);
  });
}
