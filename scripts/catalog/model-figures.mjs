// Figures of the model images: `size` is the uncompressed size `docker images` shows (linux/amd64),
// `compressed` the transfer size Docker Hub lists (sum of the gzip layer blobs) for linux/amd64 and
// `compressedArm64` for linux/arm64 (defaults to `compressed`). Where docker-library/repo-info
// publishes a figure it comes from scripts/catalog/published-figures.json (file@commit per image,
// read 2026-11-28, applied at the bottom of this file); the rest are estimates, marked as such in
// `sizeSource` (catalog-README.md, "Model images", lists them).
import { readFileSync } from 'node:fs';

const est = (what) => `estimate (${what}; not read from repo-info)`;
export const FIGURES = {
  'alpine:3.24': { created: '2026-09-17T20:37:20Z', size: 8.42e6, compressed: 3.99e6, sizeSource: 'size: repo-info local alpine/3.24.2.md (Virtual Size ~ 8.42 Mb); compressed: ' + est('as 3.22') },
  'alpine:3.23': { created: '2026-09-17T20:37:33Z', size: 8.42e6, compressed: 3.96e6, sizeSource: 'size: repo-info local alpine/3.23.6.md (Virtual Size ~ 8.42 Mb); compressed: ' + est('as 3.22') },
  'alpine:3.21': { created: '2026-09-17T20:38:22Z', size: 7.8e6, compressed: 3626020, sizeSource: 'repo-info: local alpine/3.21.8.md (Virtual Size ~ 7.8 Mb), remote alpine/3.21.md (Total Size 3,626,020 B)' },
  'alpine:3.20': { created: '2025-10-08T11:10:03Z', size: 7.8e6, compressed: 3.62e6, sizeSource: est('alpine 3.20 reached end of support 2026-04; no longer in repo-info; as 3.21') },
  'debian:trixie-slim': { created: '2026-08-03T00:00:00Z', size: 78.6e6, compressed: 29.78e6, sizeSource: 'compressed: repo-info remote python/3.13-slim.md first layer (debian trixie-slim, 29,780,765 B); size: ' + est('Docker Hub debian:trixie-slim 78.6 MB') },
  'debian:trixie': { created: '2026-08-03T00:00:00Z', size: 120.3e6, compressed: 49.3e6, sizeSource: est('Docker Hub debian:trixie 120 MB / 49 MB') },
  'debian:bookworm': { created: '2026-09-18T00:00:00Z', size: 116.5e6, compressed: 48.5e6, sizeSource: est('Docker Hub debian:bookworm 117 MB / 48.5 MB') },
  'ubuntu:22.04': { created: '2026-08-17T13:09:51Z', size: 77.87e6, compressed: 29.54e6, sizeSource: est('Docker Hub ubuntu:22.04 77.9 MB / 29.5 MB') },
  'ubuntu:26.04': { created: '2026-09-12T10:25:59Z', size: 100.17e6, compressed: 41573390, sizeSource: 'published-figures.json' },
  'ubuntu:20.04': { created: '2025-04-08T10:00:00Z', size: 72.81e6, compressed: 27.51e6, sizeSource: est('Docker Hub ubuntu:20.04 72.8 MB / 27.5 MB (focal: end of standard support 2025-05)') },
  'buildpack-deps:trixie': { created: '2026-08-04T00:00:00Z', size: 930e6, compressed: 338e6, sizeSource: est('python:3.14 1.12 GB (repo-info) minus its python layers') },
  'buildpack-deps:bookworm': { created: '2026-09-18T00:00:00Z', size: 860e6, compressed: 355e6, sizeSource: est('node:20 (bookworm) minus its node layers') },
  'python:3.14': { created: '2026-08-25T03:39:18Z', size: 1.12e9, compressed: 405e6, sizeSource: 'size: repo-info local python/3.md (python:3.14.7-trixie, Virtual Size ~ 1.12 Gb); compressed: ' + est('ratio of the full images') },
  'python:3.13': { created: '2026-09-01T00:10:00Z', size: 1.12e9, compressed: 415e6, sizeSource: est('as python:3.14, whose published figures it shares all layers but the CPython one with') },
  'python:3.12': { created: '2026-09-01T00:10:00Z', size: 1.11e9, compressed: 414e6, sizeSource: est('as python:3.14') },
  'python:3.11': { created: '2026-09-01T00:10:00Z', size: 1.11e9, compressed: 414e6, sizeSource: est('as python:3.14') },
  'python:3.14-slim': { created: '2026-08-25T03:39:18Z', size: 127.8e6, compressed: 43.6e6, sizeSource: est('python:3.13-slim + 1.5 MB') },
  'python:3.13-slim': { created: '2026-09-01T00:10:00Z', size: 126.25e6, compressed: 42.96e6, sizeSource: 'repo-info: local python/3.13-slim.md (3.13.15-slim-trixie, Virtual Size ~ 126.25 Mb); remote python/3.13-slim.md (Total Size 42,961,458 B, 3.13.14)' },
  'python:3.12-slim': { created: '2026-09-01T00:10:00Z', size: 124.9e6, compressed: 42.5e6, sizeSource: est('python:3.13-slim − 1.3 MB') },
  'python:3.11-slim': { created: '2026-09-01T00:10:00Z', size: 131.4e6, compressed: 44.6e6, sizeSource: est('3.11 keeps distutils and larger stdlib') },
  'python:3.14-slim-bookworm': { created: '2026-08-25T03:39:18Z', size: 125.6e6, compressed: 42.4e6, sizeSource: est('3.12-slim-bookworm (repo-info 124.3 MB) + 1.3 MB') },
  'python:3.13-slim-bookworm': { created: '2026-09-01T00:10:00Z', size: 124.7e6, compressed: 42.0e6, sizeSource: est('3.12-slim-bookworm (repo-info 124.3 MB) + 0.4 MB') },
  'python:3.11-slim-bookworm': { created: '2026-09-01T00:10:00Z', size: 130.0e6, compressed: 43.9e6, sizeSource: est('Docker Hub python:3.11-slim-bookworm ~130 MB') },
  'python:3.14-alpine': { created: '2026-08-25T03:39:18Z', size: 47.8e6, compressed: 17.1e6, sizeSource: est('Docker Hub python:3.x-alpine 45–50 MB / 16–18 MB') },
  'python:3.13-alpine': { created: '2026-09-01T00:10:00Z', size: 46.9e6, compressed: 16.8e6, sizeSource: est('Docker Hub python:3.13-alpine') },
  'python:3.12-alpine': { created: '2026-09-01T00:10:00Z', size: 52.0e6, compressed: 18.4e6, sizeSource: est('Docker Hub python:3.12-alpine') },
  'python:3.11-alpine': { created: '2026-09-01T00:10:00Z', size: 54.8e6, compressed: 19.2e6, sizeSource: est('Docker Hub python:3.11-alpine') },
  'node:26': { created: '2026-09-22T18:52:14Z', size: 1.25e9, compressed: 424e6, sizeSource: 'size: repo-info local node/latest.md (node:26, 26.10.0, Virtual Size ~ 1.25 Gb); compressed: ' + est('ratio of the full images') },
  'node:24': { created: '2026-09-22T18:52:14Z', size: 1.13e9, compressed: 423e6, sizeSource: est('size: Docker Hub node:24 1.13 GB; compressed: buildpack-deps:trixie (published 379.1 MB) + node:20-slim\'s node and yarn layers (42.5 MB)') },
  'node:22': { created: '2026-09-22T18:52:14Z', size: 1.12e9, compressed: 422e6, sizeSource: est('as node:24') },
  'node:20': { created: '2026-01-14T00:00:00Z', size: 1.1e9, compressed: 421e6, sizeSource: est('Docker Hub node:20 (bookworm) 1.10 GB; Node 20 reached end of life 2026-04-30') },
  'node:18': { created: '2025-04-01T00:00:00Z', size: 1.09e9, compressed: 420e6, sizeSource: est('Docker Hub node:18 (bookworm) 1.09 GB; Node 18 reached end of life 2025-04-30') },
  'node:26-slim': { created: '2026-09-22T18:52:14Z', size: 246e6, compressed: 78e6, sizeSource: est('Docker Hub node:26-slim') },
  'node:24-slim': { created: '2026-09-22T18:52:14Z', size: 226e6, compressed: 72e6, sizeSource: est('Docker Hub node:24-slim') },
  'node:22-slim': { created: '2026-09-22T18:52:14Z', size: 220e6, compressed: 70e6, sizeSource: est('Docker Hub node:22-slim') },
  'node:20-slim': { created: '2026-01-14T00:00:00Z', size: 200e6, compressed: 64e6, sizeSource: est('Docker Hub node:20-slim (bookworm)') },
  'node:18-slim': { created: '2025-04-01T00:00:00Z', size: 192e6, compressed: 62e6, sizeSource: est('Docker Hub node:18-slim (bookworm)') },
  'node:26-bookworm-slim': { created: '2026-09-22T18:52:14Z', size: 242e6, compressed: 77e6, sizeSource: est('Docker Hub node:26-bookworm-slim') },
  'node:24-trixie-slim': { created: '2026-09-22T18:52:14Z', size: 228e6, compressed: 81e6, sizeSource: est('as node:24-slim on trixie-slim') },
  'node:22-trixie-slim': { created: '2026-09-22T18:52:14Z', size: 222e6, compressed: 80e6, sizeSource: est('as node:22-slim on trixie-slim') },
  'node:26-alpine': { created: '2026-09-22T18:52:14Z', size: 183e6, compressed: 60e6, sizeSource: est('Docker Hub node:26-alpine') },
  'node:24-alpine': { created: '2026-09-22T18:52:14Z', size: 163e6, compressed: 54e6, sizeSource: est('Docker Hub node:24-alpine') },
  'node:20-alpine': { created: '2026-01-14T00:00:00Z', size: 135e6, compressed: 43e6, sizeSource: est('Docker Hub node:20-alpine') },
  'node:18-alpine': { created: '2025-04-01T00:00:00Z', size: 127e6, compressed: 40e6, sizeSource: est('Docker Hub node:18-alpine') },
  'nginx:latest': { created: '2026-07-15T23:30:55Z', size: 161.33e6, compressed: 63110572, sizeSource: 'repo-info: local nginx/latest.md (nginx:1.31.3, Virtual Size ~ 161.33 Mb), remote nginx/latest.md (Total Size 63,110,572 B)' },
  'nginx:stable': { created: '2026-07-15T23:30:55Z', size: 159.5e6, compressed: 62.4e6, sizeSource: est('nginx:latest (repo-info) − the newer modules') },
  'httpd:latest': { created: '2026-08-25T00:22:24Z', size: 116.84e6, compressed: 44.6e6, sizeSource: 'size: repo-info local httpd/latest.md (httpd:2.4.68, Virtual Size ~ 116.84 Mb); compressed: ' + est('Docker Hub httpd ~45 MB') },
  'redis:latest': { created: '2026-07-14T01:44:18Z', size: 142.6e6, compressed: 51.5e6, sizeSource: 'size: repo-info local redis/latest.md (redis:8.8.0, Virtual Size ~ 142.6 Mb); compressed: ' + est('ratio of the trixie-slim server images') },
  'postgres:latest': { created: '2026-07-14T01:36:07Z', size: 456.26e6, compressed: 162473560, sizeSource: 'repo-info: local postgres/latest.md (postgres:18.4, Virtual Size ~ 456.26 Mb); remote postgres/latest.md (18.6, Total Size 162,473,560 B)' },
  'mysql:latest': { created: '2026-09-12T00:10:58Z', size: 945.14e6, compressed: 280e6, sizeSource: 'size: repo-info local mysql/latest.md (mysql:26.7.0, Virtual Size ~ 945.14 Mb); compressed: ' + est('ratio of mysql 8/9 images, ~0.3') },
  'golang:latest': { created: '2026-11-05T00:00:00Z', size: 859e6, compressed: 300e6, sizeSource: est('Docker Hub golang:latest ~860 MB / 300 MB') },
  'golang:alpine': { created: '2026-11-05T00:00:00Z', size: 253e6, compressed: 78e6, sizeSource: est('Docker Hub golang:alpine ~250 MB / 78 MB') },
  'eclipse-temurin:21-jdk-noble': { created: '2026-09-09T02:20:50Z', size: 468e6, compressed: 193e6, sizeSource: est('Docker Hub eclipse-temurin:21-jdk ~470 MB / 190 MB') },
  'eclipse-temurin:21-jre-noble': { created: '2026-09-09T02:20:47Z', size: 272e6, compressed: 97e6, sizeSource: est('Docker Hub eclipse-temurin:21-jre ~270 MB / 97 MB') },
  'eclipse-temurin:21-jdk-resolute': { created: '2026-09-09T02:20:38Z', size: 474.82e6, compressed: 230080573, sizeSource: 'published-figures.json' },
  'eclipse-temurin:21-jre-resolute': { created: '2026-09-09T02:20:47Z', size: 318.14e6, compressed: 121136054, sizeSource: 'published-figures.json' },
  'openjdk:17-jdk-slim': { created: '2022-04-26T00:00:00Z', size: 408e6, compressed: 221e6, sizeSource: est('Docker Hub openjdk:17-jdk-slim 408 MB / 221 MB (last built 2022)') },
};

// Published figures override the estimates above (uncompressed: repo-info local "Virtual Size";
// compressed: remote "Total Size" per platform).
const PUBLISHED = JSON.parse(readFileSync(new URL('./published-figures.json', import.meta.url), 'utf8'));
for (const [key, f] of Object.entries(FIGURES)) {
  const p = PUBLISHED.images[key];
  if (!p) continue;
  const parts = [];
  if (p.uncompressed) {
    f.size = p.uncompressed.bytes;
    parts.push(`size: repo-info ${p.uncompressed.source}`);
  } else parts.push(`size: ${f.sizeSource.startsWith('estimate') ? f.sizeSource : 'estimate'}`);
  if (p.compressed?.['linux/amd64']) {
    f.compressed = p.compressed['linux/amd64'];
    if (p.compressed['linux/arm64']) f.compressedArm64 = p.compressed['linux/arm64'];
    parts.push(`compressed: repo-info ${p.compressed.source}`);
  } else parts.push('compressed: estimate');
  f.sizeSource = `${parts.join('; ')}${p.note ? ` (${p.note})` : ''}`;
}
