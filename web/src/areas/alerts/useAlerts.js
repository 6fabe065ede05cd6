// The alerts of my org unit as live state, shared by the alerts screen and the command wall:
// the list (GET /alerts), new ones pushed by the WebSocket feed (feed.js), a re-read after a
// reconnect, a re-read every 20 s while the feed is not live (until the server has /api/v1/ws),
// and acknowledge.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../../app/api.js';
import { useInterval } from '../../ui/ui.jsx';
import { connectAlerts } from './feed.js';

const POLL_MS = 20000;

// The kinds the server raises (command/alerts.h kAlertKinds): the catalogue key of an alert's
// kind, "other" for one this build does not know.
const KINDS = ['fever', 'crowding', 'directive_overdue', 'follow_up_overdue', 'meeting_soon', 'ticket_late'];
export const kindKey = (kind) => `alerts.kinds.${KINDS.includes(kind) ? kind : 'other'}`;

export function useAlerts({ openOnly = true, limit = 100 } = {}) {
  const [items, setItems] = useState(null);
  const [error, setError] = useState(null);
  const [feed, setFeed] = useState('connecting');
  const [busy, setBusy] = useState(null);
  const open = useRef(openOnly);
  open.current = openOnly;

  const load = () => api('/alerts', { query: { open: open.current ? 'true' : undefined, limit } }).then((r) => { setItems(r.items); setError(null); }, setError);
  useEffect(() => { load(); }, [openOnly]);
  useEffect(() => connectAlerts({
    // An alert acknowledged elsewhere (or with its chain, below) leaves the list of open ones.
    onAlert: (a) => setItems((xs) => {
      const rest = (xs || []).filter((x) => x.id !== a.id);
      if (open.current && a.acknowledged_at) return rest;
      return (xs || []).some((x) => x.id === a.id) ? (xs || []).map((x) => (x.id === a.id ? a : x)) : [a, ...rest];
    }),
    onState: setFeed,
    onReconnect: load,
  }), []);
  useInterval(() => { if (feed !== 'live') load(); }, POLL_MS);

  const acknowledge = async (id) => {
    setBusy(id);
    try {
      const a = await api(`/alerts/${id}/acknowledge`, { method: 'POST', body: {} });
      setItems((xs) => (open.current ? xs.filter((x) => x.id !== id) : xs.map((x) => (x.id === id ? { ...x, ...a } : x))));
      // Acknowledging one alert of an escalation chain acknowledges the others: read them again.
      if (a.escalated_from != null || a.escalated_to != null) load();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  };
  return { items, error, feed, busy, acknowledge, reload: load };
}
