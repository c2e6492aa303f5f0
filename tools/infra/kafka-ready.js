// Waits until the broker answers a metadata request (an open port is not enough in KRaft mode).
const { Kafka, logLevel } = require('kafkajs');
const broker = process.argv[2] || '127.0.0.1:9092';
const deadline = Date.now() + 60_000;
(async () => {
  const admin = new Kafka({ brokers: [broker], logLevel: logLevel.NOTHING, retry: { retries: 0 } }).admin();
  for (;;) {
    try {
      await admin.connect();
      await admin.describeCluster();
      await admin.disconnect();
      return;
    } catch (err) {
      if (Date.now() > deadline) {
        console.error(`kafka-ready: ${broker} did not answer: ${err.message}`);
        process.exit(1);
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  }
})();
