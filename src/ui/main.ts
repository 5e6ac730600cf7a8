import { mount } from 'svelte';
import './theme.css';
import App from './App.svelte';
import EmbedApp from './EmbedApp.svelte';
import UpdateNotice from './components/layout/UpdateNotice.svelte';
import { registerServiceWorker } from './offline.ts';

/** `?embed` (optionally `?embed=<lesson id>`, and a scenario in `#s=…`): the compact view for an iframe in a docs page. */
const embed = new URLSearchParams(location.search).has('embed');
mount(embed ? EmbedApp : App, { target: document.getElementById('app')! });

registerServiceWorker((activate) => {
  // An embed has no room for the notice: the next visit simply gets the new version.
  if (embed) return;
  const target = document.body.appendChild(document.createElement('div'));
  mount(UpdateNotice, { target, props: { onReload: activate } });
});
