/** Starter scenarios from LAB-DESIGN.md: a Dockerfile and a small build context each. */
export interface Preset {
  id: string;
  title: string;
  dockerfile: string;
  files: Record<string, string>;
  tag: string;
}

export const PRESETS: Preset[] = [
  {
    id: 'hello-layers',
    title: '1. Hello layers',
    tag: 'hello:latest',
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
    dockerfile: `FROM node:22-alpine
WORKDIR /app
COPY package.json .
RUN mkdir -p node_modules/express && echo '{"name":"express"}' > node_modules/express/package.json
COPY . .
CMD ["node", "server.js"]
`,
    files: { 'package.json': '{ "name": "shop", "dependencies": { "express": "^4" } }\n', 'server.js': 'console.log("listening on 3000")\n' },
  },
  {
    id: 'deleting',
    title: "3. Deleting doesn't shrink",
    tag: 'fat:latest',
    dockerfile: `FROM alpine:3.22
RUN mkdir -p /var/cache/pkgs && seq 1 200000 > /var/cache/pkgs/index
RUN rm -rf /var/cache/pkgs
RUN echo "the bytes above still ship"
`,
    files: {},
  },
  {
    id: 'multi-stage',
    title: '4. Multi-stage',
    tag: 'tiny:latest',
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
];
