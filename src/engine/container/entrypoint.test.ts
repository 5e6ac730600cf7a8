import { describe, expect, it } from 'vitest';
import { classifyProcess, resolveCommand } from './entrypoint.ts';

describe('resolveCommand (moby merge)', () => {
  const img = { Entrypoint: ['/docker-entrypoint.sh'], Cmd: ['nginx', '-g', 'daemon off;'] };
  it('ENTRYPOINT + CMD, args replace CMD, --entrypoint drops the image CMD', () => {
    expect(resolveCommand(img, {})).toMatchObject({ path: '/docker-entrypoint.sh', args: ['nginx', '-g', 'daemon off;'] });
    expect(resolveCommand(img, { cmd: ['nginx', '-v'] })).toMatchObject({ path: '/docker-entrypoint.sh', args: ['nginx', '-v'] });
    expect(resolveCommand(img, { entrypoint: 'sh' })).toMatchObject({ path: 'sh', args: [], cmd: null });
    expect(resolveCommand(img, { entrypoint: '', cmd: ['ls'] })).toMatchObject({ path: 'ls', args: [], entrypoint: null });
    expect(resolveCommand({ Cmd: ['/bin/sh'] }, { entrypoint: '' })).toMatchObject({ path: '/bin/sh' });
  });
  it('neither → no command specified (exit 125)', () => {
    expect(() => resolveCommand({}, {})).toThrow('Error response from daemon: no command specified');
  });
});

describe('classifyProcess', () => {
  it('recognises servers directly, after an entrypoint wrapper, and at the end of sh -c', () => {
    expect(classifyProcess(['nginx', '-g', 'daemon off;'])).toMatchObject({ kind: 'server', program: 'nginx', stopExitCode: 0 });
    expect(classifyProcess(['/docker-entrypoint.sh', 'nginx', '-g', 'daemon off;'])).toMatchObject({ kind: 'server', program: 'nginx' });
    expect(classifyProcess(['sh', '-c', "echo start && exec python3 -m http.server 9000"])).toMatchObject({
      kind: 'server', prelude: 'echo start', stopExitCode: 137, startup: ['Serving HTTP on 0.0.0.0 port 9000 (http://0.0.0.0:9000/) ...'],
    });
    expect(classifyProcess(['node', 'server.js'])).toMatchObject({ kind: 'server', stopExitCode: 137 });
    expect(classifyProcess(['tail', '-f', '/dev/null'])).toMatchObject({ kind: 'server' });
  });
  it('short commands run to completion', () => {
    for (const argv of [['nginx', '-v'], ['node', '-e', '1'], ['sleep', '1'], ['echo', 'nginx'], ['sh', '-c', 'echo hi']]) {
      expect(classifyProcess(argv).kind).toBe('run');
    }
  });
});
