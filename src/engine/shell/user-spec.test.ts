import { describe, expect, it } from 'vitest';
import { makeRootfs } from './test-support.ts';
import { resolveUserSpec, UnknownUserError } from './user-spec.ts';

const enc = (s: string) => new TextEncoder().encode(s);

function rootfs() {
  const fs = makeRootfs();
  fs.writeFile('/etc/passwd', enc('root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000:app:/home/app:/bin/sh\n'));
  fs.writeFile('/etc/group', enc('root:x:0:\napp:x:1000:\nstaff:x:50:app\n'));
  return fs;
}

describe('resolveUserSpec: one set of rules for USER, RUN, --chown, run -u and exec -u', () => {
  it('resolves a process user through passwd and group, with supplementary groups', () => {
    const fs = rootfs();
    expect(resolveUserSpec(fs, '')).toEqual({ uid: 0, gid: 0, name: 'root', groups: [] });
    expect(resolveUserSpec(fs, 'app')).toEqual({ uid: 1000, gid: 1000, name: 'app', groups: [50] });
    expect(resolveUserSpec(fs, '1000:staff')).toEqual({ uid: 1000, gid: 50, name: 'app', groups: [50] });
    // runc: a numeric uid missing from passwd runs with gid 0; a numeric gid need not exist.
    expect(resolveUserSpec(fs, '4242')).toEqual({ uid: 4242, gid: 0, name: undefined, groups: [] });
    expect(resolveUserSpec(fs, '4242:77')).toMatchObject({ uid: 4242, gid: 77 });
  });

  it('reads --chown as BuildKit does: a bare number is uid and gid, names go through the files', () => {
    const fs = rootfs();
    expect(resolveUserSpec(fs, '4242', 'chown')).toMatchObject({ uid: 4242, gid: 4242 });
    expect(resolveUserSpec(fs, 'app:', 'chown')).toMatchObject({ uid: 1000, gid: 1000 });
    expect(resolveUserSpec(fs, 'app:staff', 'chown')).toMatchObject({ uid: 1000, gid: 50 });
  });

  it('fails on unknown names with one error type, worded as the reporting tool words it', () => {
    const fs = rootfs();
    const proc = (() => {
      try {
        resolveUserSpec(fs, 'ghost');
      } catch (e) {
        return e;
      }
    })();
    expect(proc).toBeInstanceOf(UnknownUserError);
    expect(proc).toMatchObject({ code: 'user/unknown-user', message: 'unable to find user ghost: no matching entries in passwd file' });
    expect(() => resolveUserSpec(fs, 'app:ghosts')).toThrow('unable to find group ghosts: no matching entries in group file');
    expect(() => resolveUserSpec(fs, 'ghost', 'chown')).toThrow("unable to convert uid/gid chown string to host mapping: can't find uid for user ghost: no such user: ghost");
    expect(() => resolveUserSpec(fs, 'app:ghosts', 'chown')).toThrow(UnknownUserError);
  });
});
