#!/usr/bin/env node
// A local SMTP sink for development (`npm start`): accepts every message on 127.0.0.1:$SMTP_SINK_PORT (default
// 2525) and appends it, headers and body as received, to tmp/logs/smtp-sink.log. Nothing leaves the machine.
const { SMTPServer } = require('smtp-server');
const fs = require('node:fs');
const path = require('node:path');

const port = Number(process.env.SMTP_SINK_PORT || 2525);
const logFile = path.resolve(__dirname, '..', '..', 'tmp', 'logs', 'smtp-sink.log');
fs.mkdirSync(path.dirname(logFile), { recursive: true });

const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  logger: false,
  onData(stream, session, callback) {
    const chunks = [];
    stream.on('data', (c) => chunks.push(c));
    stream.on('end', () => {
      const to = session.envelope.rcptTo.map((r) => r.address).join(', ');
      fs.appendFileSync(logFile, `\n===== ${new Date().toISOString()} to ${to}\n${Buffer.concat(chunks).toString('utf8')}\n`);
      callback();
    });
  },
});
server.on('error', (err) => console.error(`smtp-sink: ${err.message}`));
server.listen(port, '127.0.0.1', () => console.log(`smtp-sink listening on 127.0.0.1:${port}, writing to ${logFile}`));
for (const signal of ['SIGTERM', 'SIGINT']) process.once(signal, () => server.close(() => process.exit(0)));
