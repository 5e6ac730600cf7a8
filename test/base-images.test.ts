/**
 * The base-image tags people write (public/catalog/index.json, scripts/catalog/models.mjs): one
 * Dockerfile per image family that builds and asks its main program for its version, the aliases
 * Docker Hub gives (same digest), the unknown-tag error, and a Go multi-stage build down to scratch.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CliIo } from '../src/cli/command.ts';
import { main } from '../src/cli/main.ts';
import type { BuildEvent } from '../src/engine/builder/events.ts';
import { CATALOG_LAYER_DIGESTS } from '../src/engine/registry/catalog-digests.ts';
import { catalogLayerKeys } from '../src/engine/registry/catalog-seed.ts';
import { ROOT, testEngine } from './helpers.ts';

const engine = testEngine();
const index = JSON.parse(readFileSync(join(ROOT, 'public/catalog/index.json'), 'utf8')) as { images: { name: string; tags: string[]; file: string }[] };

async function build(dockerfile: string, files: { path: string; content: string }[] = []) {
  const out: string[] = [];
  const res = await engine.builds.build({ dockerfile, files: files.map((f) => ({ path: f.path, type: 'file' as const, mode: 0o644, content: new TextEncoder().encode(f.content) })) }, (e: BuildEvent) => {
    if (e.type === 'vertex-output') out.push(e.text);
  });
  return { res, output: out.join('') };
}

const FAMILIES: [string, string, RegExp][] = [
  ['python:3.13-alpine', 'python --version', /^Python 3\.13\.15$/m],
  ['node:24-alpine', 'node --version', /^v24\.21\.0$/m],
  ['nginx:latest', 'nginx -v', /^nginx version: nginx\/1\.31\.3$/m],
  ['redis:latest', 'redis-server --version', /^Redis server v=8\.8\.0 sha=/m],
  ['httpd:latest', 'httpd -v', /^Server version: Apache\/2\.4\.68 \(Unix\)$/m],
  ['postgres:latest', 'psql --version && postgres --version', /^psql \(PostgreSQL\) 18\.4 \(Debian 18\.4-1\.pgdg13\+1\)\npostgres \(PostgreSQL\) 18\.4/m],
  ['mysql:latest', 'mysql --version', /^mysql {2}Ver 26\.7\.0 for Linux on x86_64 \(MySQL Community Server - GPL\)$/m],
  ['golang:alpine', 'go version', /^go version go1\.25\.4 linux\/amd64$/m],
  ['eclipse-temurin:21-jre', 'java -version', /^openjdk version "21\.0\.12" 2026-07-21 LTS\nOpenJDK Runtime Environment Temurin-21\.0\.12\+8 \(build 21\.0\.12\+8-LTS\)/m],
];

describe('a Dockerfile per image family runs its main program', () => {
  for (const [image, cmd, expected] of FAMILIES) {
    it(`FROM ${image}: ${cmd}`, { timeout: 900_000 }, async () => {
      const { output } = await build(`FROM ${image}\nRUN ${cmd}\n`);
      expect(output).toMatch(expected);
    });
  }
});

describe('tags and aliases', () => {
  it('every tag names one image, and the tags the brief lists all resolve', () => {
    const seen = new Map<string, string>();
    for (const img of index.images) for (const t of img.tags) {
      const ref = `${img.name}:${t}`;
      expect(seen.get(ref), ref).toBeUndefined();
      seen.set(ref, img.file);
    }
    const wanted = [
      'alpine:latest', 'alpine:3', 'alpine:3.22', 'alpine:3.21', 'alpine:3.20',
      'debian:latest', 'debian:bookworm', 'debian:bookworm-slim', 'debian:12', 'debian:12-slim', 'debian:trixie-slim',
      'ubuntu:latest', 'ubuntu:26.04', 'ubuntu:resolute', 'ubuntu:24.04', 'ubuntu:noble', 'ubuntu:22.04', 'ubuntu:jammy', 'ubuntu:20.04', 'ubuntu:focal',
      ...['latest', '3', '3.13', '3.12', '3.11'].flatMap((v) => [`python:${v}`, `python:${v === 'latest' ? 'slim' : v + '-slim'}`, `python:${v === 'latest' ? 'alpine' : v + '-alpine'}`, `python:${v === 'latest' ? 'slim-bookworm' : v + '-slim-bookworm'}`]),
      ...['latest', 'lts', '22', '20', '18'].flatMap((v) => [`node:${v}`, `node:${v === 'latest' ? 'alpine' : v + '-alpine'}`, `node:${v === 'latest' ? 'slim' : v + '-slim'}`]),
      'node:22-bookworm-slim', 'node:20-bookworm-slim', 'node:18-bookworm-slim', 'node:24-trixie-slim', 'node:22-trixie-slim', 'node:26-bookworm-slim',
      'buildpack-deps:bookworm', 'buildpack-deps:trixie',
      'nginx:latest', 'nginx:alpine', 'nginx:stable', 'httpd:latest', 'redis:latest', 'postgres:latest', 'mysql:latest', 'golang:latest', 'golang:alpine',
      'eclipse-temurin:21-jdk', 'eclipse-temurin:21-jre', 'eclipse-temurin:21-jdk-noble', 'eclipse-temurin:21-jdk-resolute', 'openjdk:17-jdk-slim', 'busybox:latest', 'scratch:latest',
    ];
    expect(wanted.filter((w) => !seen.has(w))).toEqual([]);
  });

  it('aliases pull the same image (same digest), as on Docker Hub', { timeout: 300_000 }, async () => {
    for (const group of [['alpine:latest', 'alpine:3', 'alpine:3.24', 'alpine:3.24.2'], ['python:3.13-alpine', 'python:3.13.15-alpine', 'python:3.13-alpine3.24']]) {
      const ids = new Set<string>();
      const digests = new Set<string>();
      for (const ref of group) {
        const r = await engine.registries.pull(ref);
        ids.add(r.imageId);
        digests.add(r.digest);
      }
      expect(ids.size, group.join(' ')).toBe(1);
      expect(digests.size, group.join(' ')).toBe(1);
    }
  });

  it('the tags Docker Hub moved to ubuntu 26.04 pull its image, and the noble ones stay apart', { timeout: 300_000 }, async () => {
    const digestOf = async (ref: string) => (await engine.registries.pull(ref)).digest;
    const same = async (group: string[]) => {
      const digests = new Set<string>();
      for (const ref of group) digests.add(await digestOf(ref));
      return digests;
    };
    // ubuntu:latest is 26.04 (resolute), not 24.04.
    const latest = await same(['ubuntu:latest', 'ubuntu:26.04', 'ubuntu:resolute']);
    expect(latest.size).toBe(1);
    expect(latest.has(await digestOf('ubuntu:24.04'))).toBe(false);
    // eclipse-temurin's short tags name the resolute JDK; 21-jdk-noble is another image.
    const jdk = await same(['eclipse-temurin:21-jdk', 'eclipse-temurin:21', 'eclipse-temurin:latest', 'eclipse-temurin:21-jdk-resolute']);
    expect(jdk.size).toBe(1);
    expect(jdk.has(await digestOf('eclipse-temurin:21-jdk-noble'))).toBe(false);
    const jre = await same(['eclipse-temurin:21-jre', 'eclipse-temurin:21-jre-resolute']);
    expect(jre.size).toBe(1);
    expect(jre.has(await digestOf('eclipse-temurin:21-jre-noble'))).toBe(false);
  });

  it('FROM ubuntu:latest is resolute: its os-release, its sources, and rockcraft\'s control data', { timeout: 300_000 }, async () => {
    const { output } = await build('FROM ubuntu:latest\nRUN . /etc/os-release && echo "$VERSION_ID $VERSION_CODENAME" && grep ^Suites: /etc/apt/sources.list.d/ubuntu.sources && grep ^name: /.rock/metadata.yaml\n');
    expect(output).toMatch(/^26\.04 resolute\nSuites: resolute resolute-updates resolute-backports\nSuites: resolute-security\nname: ubuntu$/m);
  });

  it('FROM ubuntu:26.04: apt-get install curl takes resolute\'s curl (the shipped resolute index)', { timeout: 300_000 }, async () => {
    const apt = JSON.parse(readFileSync(join(ROOT, 'public/catalog/apt/resolute/index.json'), 'utf8')) as { columns: string[]; packages: unknown[][] };
    const curl = apt.packages.find((p) => p[0] === 'curl')!;
    const version = String(curl[apt.columns.indexOf('version')]);
    const { res, output } = await build('FROM ubuntu:26.04\nRUN apt-get update && apt-get install -y curl\nRUN curl --version | head -n 1\n');
    expect(res.imageId).toMatch(/^sha256:/);
    expect(output).toContain('http://archive.ubuntu.com/ubuntu resolute InRelease');
    expect(output).toContain(`Setting up curl (${version}) ...`);
  });

  it('an unknown tag gets docker\'s error and where the list of tags lives', async () => {
    const err = await engine.registries.pull('python:3.99-slim').catch((e) => e);
    expect(String(err.message)).toBe("manifest for python:3.99-slim not found: manifest unknown: manifest unknown\nSimulation: layerlab's offline Docker Hub catalog has no python:3.99-slim (its images and tags: public/catalog/index.json)");
  });
});

describe('node lines as Docker Hub builds them (repo-info, 2026-09)', () => {
  it('node:22 and node:24 are bookworm-based, with separate -trixie-slim images; node 26 is trixie-based', { timeout: 300_000 }, async () => {
    const codename = async (ref: string) => /^VERSION_CODENAME=(\w+)$/m.exec((await build(`FROM ${ref}\nRUN cat /etc/os-release\n`)).output)?.[1];
    expect(await codename('node:22-slim')).toBe('bookworm');
    expect(await codename('node:24')).toBe('bookworm');
    expect(await codename('node:24-trixie-slim')).toBe('trixie');
    expect(await codename('node:26-slim')).toBe('trixie');
    const tags = (file: string) => index.images.find((i) => i.file === file)?.tags ?? [];
    // One image for node:24-slim and node:24-bookworm-slim (the same manifest on Docker Hub).
    expect(tags('node-24-slim.json')).toEqual(expect.arrayContaining(['24-slim', '24-bookworm-slim', 'lts-slim']));
    // The full node 18–24 images are on buildpack-deps:bookworm: its four layers, shared.
    const bpd = (await engine.registries.pull('buildpack-deps:bookworm')).imageId;
    const node = (await engine.registries.pull('node:22')).imageId;
    const diffIds = async (id: string) => (await engine.images.inspect(id)).RootFS.Layers as string[];
    expect((await diffIds(node)).slice(0, 4)).toEqual(await diffIds(bpd));
  });

  it('node 26 ships neither yarn nor corepack (Node 25 dropped corepack; the images dropped yarn)', { timeout: 300_000 }, async () => {
    const { output } = await build('FROM node:26-alpine\nRUN command -v yarn || echo no yarn; command -v corepack || echo no corepack; npm --version\n');
    expect(output).toMatch(/no yarn/);
    expect(output).toMatch(/no corepack/);
    expect(output).toMatch(/^11\.6\.2$/m); // npm prints its own package.json's version
    const old = await build('FROM node:24-alpine\nRUN command -v yarn corepack\n');
    expect(old.output).toMatch(/\/usr\/local\/bin\/yarn\n(.*\n)?.*\/usr\/local\/bin\/corepack/);
  });
});

describe('multi-stage Go build', () => {
  it('golang:alpine builds a static binary; FROM scratch ships only it, and it runs', { timeout: 900_000 }, async () => {
    const files = [
      { path: 'go.mod', content: 'module example.com/hello\n\ngo 1.25\n' },
      { path: 'main.go', content: 'package main\n\nimport "fmt"\n\nfunc main() {\n\tfmt.Println("hello from scratch")\n}\n' },
    ];
    const { res } = await build('FROM golang:alpine AS build\nWORKDIR /src\nCOPY go.mod ./\nRUN go mod download\nCOPY . .\nRUN go build -o /app .\n\nFROM scratch\nCOPY --from=build /app /app\nENTRYPOINT ["/app"]\n', files);
    const img = res.steps.filter((s) => s.outcome === 'layer');
    const last = img[img.length - 1];
    expect(last.instruction).toMatch(/^COPY --from=build \/app \/app/);
    expect(last.layerSize).toBeGreaterThan(1.8e6);
    expect(last.layerSize).toBeLessThan(2.8e6);
    const run = await engine.containers.run({ image: res.imageId });
    expect(run.stdout).toBe('hello from scratch\n');
  });
});

describe('linux/arm64', () => {
  async function cli(...argv: string[]) {
    let out = '';
    const io: CliIo = { out: (s) => void (out += s), err: (s) => void (out += s), outBytes: () => {}, stdoutIsTty: false, cwd: '/', now: () => Date.UTC(2026, 0, 15), readStdin: async () => new Uint8Array() };
    const code = await main(argv, io, engine);
    return { code, out };
  }

  it('layerlab pull --platform linux/arm64 node:20-slim gives the arm64 image from precomputed digests', { timeout: 120_000 }, async () => {
    // Every layer blob of the arm64 manifest is in the precomputed table: the pull gzips nothing.
    const read = async (f: string) => new Uint8Array(readFileSync(join(ROOT, 'public/catalog', f)));
    const keys = await catalogLayerKeys(await read('node-20-slim.json'), 'linux/arm64', read);
    expect(keys.filter((k) => !CATALOG_LAYER_DIGESTS[k])).toEqual([]);
    const r = await cli('pull', '--platform', 'linux/arm64', 'node:20-slim');
    expect(r.code, r.out).toBe(0);
    expect(r.out).toMatch(/^20-slim: Pulling from library\/node$/m);
    expect(r.out).toMatch(/^Status: Downloaded newer image for node:20-slim$/m);
    const [img] = JSON.parse((await cli('image', 'inspect', 'node:20-slim')).out) as { Architecture: string; Variant?: string; RootFS: { Layers: string[] } }[];
    expect([img.Architecture, img.Variant, img.RootFS.Layers.length]).toEqual(['arm64', 'v8', 5]);
    // Docker's answer for a platform the index does not have.
    const s390 = await cli('pull', '--platform', 'linux/s390x', 'node:20-slim');
    expect(s390.code).toBe(1);
    expect(s390.out).toContain('no matching manifest for linux/s390x in the manifest list entries');
  });

  it('an arm64 container sees aarch64 paths: the arm64 layers are a different tree, not a relabelled amd64 one', { timeout: 300_000 }, async () => {
    const { output } = await build('FROM --platform=linux/arm64 debian:trixie-slim\nRUN ls /usr/lib/aarch64-linux-gnu/libc.so.6 /usr/lib/aarch64-linux-gnu/ld-linux-aarch64.so.1\n');
    expect(output).toContain('/usr/lib/aarch64-linux-gnu/libc.so.6');
    expect(output).not.toContain('x86_64');
  });
});
