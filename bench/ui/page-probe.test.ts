// @vitest-environment jsdom
// The probe against a DOM shaped like the app's LiveTable (role=grid, columnheaders, a
// data-table-body rowgroup of role=row elements with role=gridcell cells in column order).
import { afterEach, describe, expect, it } from 'vitest';
import { createUiProbe } from './page-probe.ts';

const HEADERS = ['Namespace', 'Name', 'Ready', 'Status', 'Restarts', 'Age'];

function renderTable(rows: string[][], headers = HEADERS): void {
  const head = headers
    .map((h, i) => `<div role="columnheader"><button>${h}<span>${i === 1 ? '▲' : ''}</span></button></div>`)
    .join('');
  const body = rows
    .map((cells) => `<div role="row">${cells.map((c) => `<div role="gridcell">${c}</div>`).join('')}</div>`)
    .join('');
  document.body.innerHTML = `<div role="grid"><div role="rowgroup"><div role="row">${head}</div></div>
    <div role="rowgroup" data-table-body=""><div>${body}</div></div></div>`;
}

const cell = (row: number, col: number) =>
  document.querySelectorAll('[data-table-body] [role="row"]')[row]!.querySelectorAll('[role="gridcell"]')[
    col
  ]!;
const flush = () => new Promise((r) => setTimeout(r, 0));

afterEach(() => {
  document.body.innerHTML = '';
});

describe('createUiProbe', () => {
  it('reads rows by the table column titles', () => {
    renderTable([
      ['shop', 'web-0', '1/1', 'Running', '3 (2m ago)', '5d'],
      ['shop', 'web-1', '0/1', 'Pending', '', '1s'],
    ]);
    const rows = createUiProbe(document).rows();
    expect(rows.map(({ key, status, restarts }) => ({ key, status, restarts }))).toEqual([
      { key: 'shop/web-0', status: 'Running', restarts: 3 },
      { key: 'shop/web-1', status: 'Pending', restarts: null },
    ]);
  });

  it('records every rise of a recorded row, from text edits and replaced nodes alike', async () => {
    renderTable([
      ['shop', 'web-0', '1/1', 'Running', '3', '5d'],
      ['shop', 'web-1', '1/1', 'Running', '0', '5d'],
    ]);
    const probe = createUiProbe(document);
    probe.start(['shop/web-0']);
    const before = Date.now();
    (cell(0, 4).firstChild as Text).data = '4';
    await flush();
    cell(0, 4).textContent = '6 (1s ago)';
    cell(1, 4).textContent = '9'; // not recorded
    cell(0, 5).textContent = '6d'; // another column of a recorded row: no new value
    await flush();
    expect(probe.progress()).toEqual({ 'shop/web-0': { base: 3, latest: 6 } });
    const report = probe.stop();
    expect(report.observed['shop/web-0']?.base).toBe(3);
    expect(report.observed['shop/web-0']?.seen.map((s) => s.value)).toEqual([4, 6]);
    for (const s of report.observed['shop/web-0']?.seen ?? []) {
      expect(s.at).toBeGreaterThanOrEqual(before);
      expect(s.at).toBeLessThanOrEqual(Date.now());
    }
    expect(report.observed['shop/web-1']).toBeUndefined();
    expect(report.mutationCallbacks).toBeGreaterThanOrEqual(2);
  });

  it('sees a recorded row that re-enters the DOM as a new element', async () => {
    renderTable([['shop', 'web-0', '1/1', 'Running', '1', '5d']]);
    const probe = createUiProbe(document);
    probe.start(['shop/web-0']);
    const container = document.querySelector('[data-table-body] > div')!;
    const fresh = document.createElement('div');
    fresh.setAttribute('role', 'row');
    fresh.innerHTML = ['shop', 'web-0', '1/1', 'Running', '2', '5d']
      .map((c) => `<div role="gridcell">${c}</div>`)
      .join('');
    container.replaceChildren(fresh);
    await flush();
    expect(probe.stop().observed['shop/web-0']?.seen.map((s) => s.value)).toEqual([2]);
  });

  it('ignores falls and repeats of the value', async () => {
    renderTable([['shop', 'web-0', '1/1', 'Running', '5', '5d']]);
    const probe = createUiProbe(document);
    probe.start(['shop/web-0']);
    cell(0, 4).textContent = '4';
    await flush();
    cell(0, 4).textContent = '5';
    await flush();
    expect(probe.stop().observed['shop/web-0']?.seen).toEqual([]);
  });

  it('fails clearly on a missing column, an unknown row, and misuse', () => {
    renderTable([['shop', 'web-0', 'Running', '1']], ['Namespace', 'Name', 'Status', 'Age']);
    expect(() => createUiProbe(document).rows()).toThrow(/no "Restarts" column/);
    renderTable([['shop', 'web-0', '1/1', 'Running', '', '5d']]);
    const probe = createUiProbe(document);
    expect(() => probe.start(['shop/nope'])).toThrow(/shop\/nope is not in the DOM/);
    expect(() => probe.start(['shop/web-0'])).toThrow(/RESTARTS number/);
    expect(() => probe.stop()).toThrow(/not recording/);
    document.body.innerHTML = '';
    expect(() => createUiProbe(document).rows()).toThrow(/no table body/);
  });

  it('says when the Long Tasks API is missing instead of reporting no long tasks', () => {
    renderTable([['shop', 'web-0', '1/1', 'Running', '0', '5d']]);
    const probe = createUiProbe(document);
    probe.start(['shop/web-0']);
    const report = probe.stop();
    // jsdom has no Long Tasks API; Chromium has (the benchmark refuses a report without it).
    expect(report.longTaskSupported).toBe(false);
    expect(report.longTasks).toEqual([]);
  });

  it('counts the pod watches the page opens over a WebSocket while recording, and only those', () => {
    renderTable([['shop', 'web-0', '1/1', 'Running', '1', '5d']]);
    const proto = WebSocket.prototype;
    const realSend = proto.send;
    const sent: unknown[] = [];
    // A socket that records instead of sending (jsdom's would need a server).
    proto.send = function record(data) {
      sent.push(data);
    };
    try {
      const socket = Object.create(proto) as WebSocket;
      const open = (path: string) => JSON.stringify({ op: 'open', id: 1, path });
      socket.send(open('/clusters/sim/api/v1/pods?watch=true')); // before recording: not counted
      const probe = createUiProbe(document);
      probe.start(['shop/web-0']);
      socket.send(open('/clusters/sim/api/v1/pods?watch=true&resourceVersion=5&allowWatchBookmarks=true'));
      socket.send(open('/clusters/sim/api/v1/namespaces/shop/pods?watch=true'));
      socket.send(open('/clusters/sim/api/v1/pods?limit=500')); // a list, not a watch
      socket.send(open('/clusters/sim/api/v1/services?watch=true'));
      socket.send(JSON.stringify({ op: 'cancel', id: 1 }));
      socket.send('not json');
      socket.send(new Uint8Array([1, 2]));
      const report = probe.stop();
      expect(report.podWatchesOpened).toBe(2);
      // Every message still went through to the socket, and stop() put send back.
      expect(sent).toHaveLength(8);
      socket.send(open('/clusters/sim/api/v1/pods?watch=true'));
      expect(sent).toHaveLength(9);
      expect(proto.send.name).toBe('record');
    } finally {
      proto.send = realSend;
    }
  });

  it('counts the pod lists the page starts while recording, not watches or other resources', async () => {
    renderTable([['shop', 'web-0', '1/1', 'Running', '1', '5d']]);
    const realFetch = window.fetch;
    const started: string[] = [];
    // A fetch that records instead of going to a network (the probe wraps whatever is there).
    window.fetch = async (input) => {
      started.push(String(input));
      return new Response('{}');
    };
    try {
      await window.fetch('/clusters/sim/api/v1/pods?limit=500'); // before recording: not counted
      const probe = createUiProbe(document);
      probe.start(['shop/web-0']);
      await window.fetch('/clusters/sim/api/v1/pods?limit=500');
      await window.fetch(new URL('http://127.0.0.1/clusters/sim/api/v1/namespaces/shop/pods?continue=x'));
      await window.fetch(new Request('http://127.0.0.1/clusters/sim/api/v1/pods?watch=true'));
      await window.fetch('/clusters/sim/api/v1/services?limit=500');
      await window.fetch('/clusters/sim/api/v1/namespaces/shop/pods/web-0');
      const report = probe.stop();
      expect(report.podListsStarted).toBe(2);
      // Every request still went through, and stop() put fetch back.
      expect(started).toHaveLength(6);
      await window.fetch('/clusters/sim/api/v1/pods');
      expect(started).toHaveLength(7);
      expect(probe.progress).toThrow(/not recording/);
    } finally {
      window.fetch = realFetch;
    }
  });
});
