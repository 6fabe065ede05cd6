import { render } from 'preact';
import { App } from './app/App.jsx';
import { loadArea } from './i18n/index.js';
import './styles/base.css';
import './styles/print.css';

// The shell's own strings first, so the first paint is already in the reader's language.
loadArea('common').finally(() => render(<App />, document.getElementById('app')));

if ('serviceWorker' in navigator && import.meta.env.PROD) {
  window.addEventListener('load', () => navigator.serviceWorker.register('/sw.js').catch(() => {}));
}
