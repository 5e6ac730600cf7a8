/**
 * Starter scenarios from LAB-DESIGN.md: a Dockerfile, a small build context, and what to look at.
 * Each builds on a fresh store (the e2e suite builds them all).
 */
export interface Preset {
  id: string;
  title: string;
  tag: string;
  /** What the scenario shows, in one or two sentences. */
  summary: string;
  /** What to try next. */
  next: string;
  dockerfile: string;
  files: Record<string, string>;
}

export const PRESETS: Preset[] = [
  {
    id: 'hello-layers',
    title: '1. Hello layers',
    tag: 'hello:latest',
    summary: 'One slab per filesystem instruction (WORKDIR, COPY, RUN); ENV and CMD only change the config: thin tabs, not layers.',
    next: 'Build twice: every step is CACHED. Then edit app.py and build again.',
    dockerfile: `FROM alpine:3.22
WORKDIR /app
COPY app.py .
RUN echo "built on $(date +%F)" > /app/build-info.txt
ENV GREETING=hello
CMD ["python3", "app.py"]
`,
    files: { 'app.py': 'print("hello from layerlab")\n' },
  },
  {
    id: 'cache-order',
    title: '2. Cache order matters',
    tag: 'shop:latest',
    summary: 'package.json is copied before the dependency install, so editing server.js rebuilds only COPY . . — the install stays cached.',
    next: 'Edit server.js and rebuild; then move COPY . . above the RUN and edit it again: the install reruns every time.',
    dockerfile: `FROM node:22-alpine
WORKDIR /app
COPY package.json .
# Simulation: no network in the lab; this RUN stands in for npm ci (it writes node_modules).
RUN mkdir -p node_modules/express && echo '{"name":"express","version":"4.21.2"}' > node_modules/express/package.json
COPY . .
CMD ["node", "server.js"]
`,
    files: { 'package.json': '{ "name": "shop", "dependencies": { "express": "^4" } }\n', 'server.js': 'console.log("listening on 3000")\n' },
  },
  {
    id: 'deleting',
    title: "3. Deleting doesn't shrink",
    tag: 'fat:latest',
    summary: 'The package lists written by the first RUN are deleted by the third: the file disappears from the image, but its bytes still ship in the lower layer.',
    next: 'Join the three RUN lines with && into one: the lists never reach a layer and the image shrinks.',
    dockerfile: `FROM debian:bookworm-slim
# Simulation: the lab has no package mirror, so these lines write files shaped like apt-get's.
# apt-get update: downloads the package lists
RUN mkdir -p /var/lib/apt/lists && seq 1 200000 > /var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages
# apt-get install -y hello
RUN mkdir -p /usr/share/doc/hello && seq 1 20000 > /usr/bin/hello && chmod 755 /usr/bin/hello
# rm -rf /var/lib/apt/lists/*: a whiteout on top; the lists still ship in the layer above FROM
RUN rm -rf /var/lib/apt/lists/*
`,
    files: {},
  },
  {
    id: 'multi-stage',
    title: '4. Multi-stage',
    tag: 'tiny:latest',
    summary: 'The build stage is fat (sources, logs); the final stage starts from scratch and only COPY --from crosses.',
    next: 'Compare the sizes in the Images tab: the build stage never becomes part of tiny:latest.',
    dockerfile: `FROM alpine:3.22 AS build
WORKDIR /src
COPY main.c .
RUN mkdir -p /out && cp main.c /out/app && seq 1 50000 > /out/build.log

FROM scratch
COPY --from=build /out/app /app
ENTRYPOINT ["/app"]
`,
    files: { 'main.c': 'int main(void) { return 0; }\n' },
  },
  {
    id: 'copy-on-write',
    title: '5. Copy-on-write in a container',
    tag: 'cow:latest',
    summary: 'An image with a big file, a config and a file to delete: a container that appends one line to big.log copies the whole file up into its own layer.',
    next: 'Run a container of cow:latest, then chmod, append to, delete and rename files and compare docker diff (Terminal tab: coming next; the CLI has it today).',
    dockerfile: `FROM alpine:3.22
RUN mkdir -p /data && seq 1 400000 > /data/big.log
RUN echo "mode=production" > /data/app.conf && echo "old" > /data/old-name.txt
CMD ["sh"]
`,
    files: {},
  },
  {
    id: 'volumes',
    title: '6. Volumes vs the container layer',
    tag: 'visits:latest',
    summary: 'VOLUME declares /var/lib/visits: writes there go to a volume that outlives the container; writes elsewhere die with the container layer.',
    next: 'Run it twice, remove the first container, and look for visits.log and scratch.log (Terminal tab: coming next).',
    dockerfile: `FROM alpine:3.22
RUN mkdir -p /var/lib/visits && echo "seeded by the image" > /var/lib/visits/README
VOLUME /var/lib/visits
CMD ["sh", "-c", "date >> /var/lib/visits/visits.log; date >> /tmp/scratch.log; cat /var/lib/visits/visits.log"]
`,
    files: {},
  },
  {
    id: 'shared-base',
    title: '7. Shared base layers',
    tag: 'report-a:latest',
    summary: 'python:3.12-slim has several layers; every image built FROM it shares them, stored once.',
    next: 'Change the tag to report-b:latest, edit report.py, build again; the Images tab shows both sizes, the base counted once on disk.',
    dockerfile: `FROM python:3.12-slim
WORKDIR /srv
COPY report.py .
CMD ["python", "report.py"]
`,
    files: { 'report.py': 'print("report A")\n' },
  },
  {
    id: 'registry-dedupe',
    title: '8. Registry deduplication',
    tag: 'localhost:5000/shop/web:1',
    summary: 'An image tagged for the lab’s local registry: pushing it uploads only the layers the registry lacks.',
    next: 'Push it, build web:2 with one changed file and push again: the base and unchanged layers say "Layer already exists" (Registry tab). Then pull web:1 onto the second machine, and web:2 after it: only the changed layers travel.',
    dockerfile: `FROM alpine:3.22
WORKDIR /www
COPY index.html .
COPY style.css .
`,
    files: { 'index.html': '<h1>shop</h1>\n', 'style.css': 'h1 { color: teal; }\n' },
  },
];
