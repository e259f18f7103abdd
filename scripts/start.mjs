// `npm start` will run the whole single-machine stack (ingestor + processor +
// demo site). Until that lands, say so plainly instead of pretending.
console.log('gosight: `npm start` is not wired up yet (tracked as the "npm start" issue).');
console.log('Meanwhile: `npm run stack:up` starts Kafka, Redis and ClickHouse on loopback.');
