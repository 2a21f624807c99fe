// Runs access-path requests through @cloud-copilot/iam-simulate. Plain CommonJS so that the
// child process of a synth (which has no TypeScript loader), its worker threads and the tests
// (in process) run the very same code. `engine` is the loaded package; each request is
// { simulation }.
'use strict';

const os = require('node:os');
const path = require('node:path');
const { Worker, isMainThread, parentPort, workerData } = require('node:worker_threads');

/** Below this many distinct requests one thread answers sooner than several that each load the engine. */
const PARALLEL_FROM = 400;

/** At most this many worker threads, however many cores there are. */
const MAX_WORKERS = 4;

/**
 * The requests as a table of distinct policy documents and the distinct requests that point into
 * it, plus where each request's answer is (`index[i]`). A synth's requests repeat the same few
 * hundred documents (every role's policies, the SCPs, each resource's policy) thousands of times,
 * and some requests repeat whole; packed, they cross the process boundary once each and the
 * engine answers each distinct request once. Unpacking restores requests equal to the originals.
 */
function pack(requests) {
  const policies = [];
  const byText = new Map();
  const byObject = new Map();
  const ref = (doc) => {
    if (doc !== null && typeof doc === 'object' && byObject.has(doc)) return byObject.get(doc);
    const text = JSON.stringify(doc);
    let i = byText.get(text);
    if (i === undefined) {
      i = policies.length;
      policies.push(doc);
      byText.set(text, i);
    }
    if (doc !== null && typeof doc === 'object') byObject.set(doc, i);
    return i;
  };
  const named = (list) => list.map((p) => ({ ...p, policy: ref(p.policy) }));
  const simulations = [];
  const byRequest = new Map();
  const index = requests.map((r) => {
    const s = r.simulation;
    const packed = {
      ...s,
      identityPolicies: named(s.identityPolicies || []),
      serviceControlPolicies: (s.serviceControlPolicies || []).map((o) => ({
        ...o,
        policies: named(o.policies),
      })),
      resourceControlPolicies: (s.resourceControlPolicies || []).map((o) => ({
        ...o,
        policies: named(o.policies),
      })),
      ...(s.resourcePolicy !== undefined ? { resourcePolicy: ref(s.resourcePolicy) } : {}),
      ...(s.permissionBoundaryPolicies
        ? { permissionBoundaryPolicies: named(s.permissionBoundaryPolicies) }
        : {}),
    };
    const text = JSON.stringify(packed);
    let i = byRequest.get(text);
    if (i === undefined) {
      i = simulations.length;
      simulations.push(packed);
      byRequest.set(text, i);
    }
    return i;
  });
  return { policies, simulations, index };
}

/** One packed request as the engine takes it. */
function unpack(policies, s) {
  const named = (list) => list.map((p) => ({ ...p, policy: policies[p.policy] }));
  return {
    ...s,
    identityPolicies: named(s.identityPolicies),
    serviceControlPolicies: s.serviceControlPolicies.map((o) => ({
      ...o,
      policies: named(o.policies),
    })),
    resourceControlPolicies: s.resourceControlPolicies.map((o) => ({
      ...o,
      policies: named(o.policies),
    })),
    ...(s.resourcePolicy !== undefined ? { resourcePolicy: policies[s.resourcePolicy] } : {}),
    ...(s.permissionBoundaryPolicies
      ? { permissionBoundaryPolicies: named(s.permissionBoundaryPolicies) }
      : {}),
  };
}

/** The answers of packed requests, one per distinct request, in one thread. */
async function runDistinct(engine, policies, simulations) {
  const out = [];
  for (const s of simulations) out.push(await runOne(engine, unpack(policies, s)));
  return out;
}

/** Every request in this process and thread (the tests' in-process engine): one answer each. */
module.exports.runRequests = async function runRequests(engine, requests) {
  const { policies, simulations, index } = pack(requests);
  const answers = await runDistinct(engine, policies, simulations);
  return index.map((i) => answers[i]);
};

module.exports.pack = pack;

/**
 * The answers of packed requests in the child process of a synth, one per distinct request: in
 * worker threads when there are enough to repay each thread loading the engine (each request is
 * independent of the others, so the split changes no answer). `options` (`workers`,
 * `parallelFrom`) are for tests.
 */
module.exports.runPacked = async function runPacked(entry, packed, options = {}) {
  const { policies, simulations } = packed;
  const workers =
    options.workers ??
    Math.min(
      typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length,
      MAX_WORKERS,
    );
  if (workers < 2 || simulations.length < (options.parallelFrom ?? PARALLEL_FROM))
    return runDistinct(require(entry), policies, simulations);
  // Interleaved, so that each thread gets its share of every kind of request.
  const shares = Array.from({ length: workers }, (_, w) =>
    simulations.filter((_, i) => i % workers === w),
  );
  const answers = await Promise.all(
    shares.map(
      (share) =>
        new Promise((resolve, reject) => {
          const worker = new Worker(path.join(__dirname, 'engine-runner.js'), {
            workerData: { officeZonesEngine: entry, policies, simulations: share },
          });
          worker.once('message', resolve);
          worker.once('error', reject);
          worker.once('exit', (code) => {
            if (code !== 0) reject(new Error(`an engine worker thread exited with code ${code}`));
          });
        }),
    ),
  );
  return simulations.map((_, i) => answers[i % workers][Math.floor(i / workers)]);
};

if (!isMainThread && workerData && workerData.officeZonesEngine) {
  const { officeZonesEngine, policies, simulations } = workerData;
  runDistinct(require(officeZonesEngine), policies, simulations).then((out) =>
    parentPort.postMessage(out),
  );
}

/** One request through the engine. */
async function runOne(engine, simulation) {
  try {
    const res = await engine.runSimulation(simulation, { simulationMode: 'Strict' });
    if (res.resultType === 'error')
      return { reasons: [], error: `${res.errors.message} ${JSON.stringify(res.errors)}` };
    const one = res.resultType === 'single' ? res.result : res.results[0] || {};
    const ignored = one.ignoredContextKeys || [];
    const restored =
      res.resultType === 'single' ? await colonVariableKeys(engine, simulation, ignored) : [];
    if (restored.length) return await runUnsafe(engine, simulation, ignored, restored);
    const decision = res.overallResult;
    const reasons = !one.analysis
      ? []
      : decision === 'Allowed'
        ? engine.getGrantReasons(one.analysis)
        : engine.getDenialReasons(one.analysis);
    return { decision, reasons, ignoredContextKeys: ignored };
  } catch (e) {
    return { reasons: [], error: String((e && e.message) || e) };
  }
}

/**
 * The context keys `runSimulation` dropped although the action documents them: instances of a
 * variable key whose variable follows a colon, such as `kms:EncryptionContext:aws:logs:arn` of
 * `kms:EncryptionContext:${EncryptionContextKey}`. The engine's validated entry point keeps a
 * variable key only when its variable follows a slash (`aws:ResourceTag/${TagKey}`), so it drops
 * these keys before the policies see them. Only keys some policy of the request names matter.
 */
async function colonVariableKeys(engine, simulation, ignored) {
  if (ignored.length === 0) return [];
  const [service, action] = simulation.request.action.split(':');
  if (await engine.isWildcardOnlyAction(service, action)) return [];
  const resource = simulation.request.resource.resource;
  if (resource.includes('*')) return [];
  const allowed = await engine.allowedContextKeysForRequest(service, action, resource, false);
  const prefixes = allowed
    .filter((k) => /:\$\{[^}]+\}$/.test(k))
    .map((k) => k.slice(0, k.lastIndexOf('${')));
  const policies = JSON.stringify([
    simulation.identityPolicies,
    simulation.resourcePolicy,
    simulation.permissionBoundaryPolicies,
    simulation.serviceControlPolicies,
    simulation.resourceControlPolicies,
  ]).toLowerCase();
  return ignored.filter((key) => {
    const lower = key.toLowerCase();
    return (
      prefixes.some((p) => lower.startsWith(p) && lower.length > p.length) &&
      policies.includes(lower)
    );
  });
}

/**
 * The same request through the engine's `runUnsafeSimulation`, which evaluates the request's
 * context as given. It is called only after `runSimulation` has validated every policy, the
 * action and the resource of this very request, and with the context `runSimulation` would have
 * used, typed the same way, plus the restored keys. It returns the decision alone, so the
 * answer carries no deciding statements. Its resource policy must be named (the engine reads the
 * name of an unnamed one and fails), so it goes in as a validated policy with a name.
 */
async function runUnsafe(engine, simulation, ignored, restored) {
  const dropped = new Set(ignored.filter((k) => !restored.includes(k)));
  const contextVariables = {};
  for (const [key, value] of Object.entries(simulation.request.contextVariables)) {
    if (dropped.has(key)) continue;
    const type = await engine.typeForContextKey(key.toLowerCase());
    contextVariables[key] = engine.isConditionKeyArray(type)
      ? [value].flat()
      : Array.isArray(value)
        ? value[0]
        : value;
  }
  const resourcePolicy = simulation.resourcePolicy && {
    __validated: true,
    policyDocument: simulation.resourcePolicy,
    metadata: { name: 'resource policy' },
    errors: [],
  };
  const decision = engine.runUnsafeSimulation(
    {
      ...simulation,
      request: { ...simulation.request, contextVariables },
      ...(resourcePolicy ? { resourcePolicy } : {}),
    },
    { simulationMode: 'Strict' },
  );
  return {
    decision,
    reasons: [],
    ignoredContextKeys: [...dropped],
    restoredContextKeys: restored,
  };
}
