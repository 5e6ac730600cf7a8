import { mount } from 'svelte';
import App from './App.svelte';
import UpdateNotice from './components/layout/UpdateNotice.svelte';
import { registerServiceWorker } from './offline.ts';

mount(App, { target: document.getElementById('app')! });

registerServiceWorker((activate) => {
  const target = document.body.appendChild(document.createElement('div'));
  mount(UpdateNotice, { target, props: { onReload: activate } });
});
