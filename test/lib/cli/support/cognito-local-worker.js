// Runs cognito-local in a worker thread of the test process. Node loads it natively: it needs an
// ES module (otplib's base32 codec) that Jest's module registry cannot load on Node 20.
const { parentPort } = require('node:worker_threads');
const { createDefaultServer } = require('cognito-local');

const silent = () => undefined;
// cognito-local logs through pino; the tests read responses, not its log.
const logger = {
  level: 'silent',
  debug: silent,
  info: silent,
  warn: silent,
  error: silent,
  trace: silent,
  fatal: silent,
  child: () => logger,
};

createDefaultServer(logger)
  .then((app) => app.start())
  .then(
    (server) => {
      parentPort.on('message', (message) => {
        if (message !== 'close') return;
        server.closeAllConnections();
        server.close(() => parentPort.postMessage({ closed: true }));
      });
      parentPort.postMessage({ port: server.address().port });
    },
    (e) => parentPort.postMessage({ error: String((e && e.stack) || e) }),
  );
