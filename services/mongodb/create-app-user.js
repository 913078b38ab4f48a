// Run by the mongo image once, on mongo1, when the mongo1_data volume is first initialised
// (before it joins replica set rs0; mongo2 and mongo3 copy the user when they join)
// (/docker-entrypoint-initdb.d, as the root user from MONGO_INITDB_ROOT_*). The application
// gets a user of its own with readWrite on its database only; the root password stays with the
// operator. The values come from the container's environment (docker-compose.yml).
const dbName = process.env.MONGODB_DATABASE;
const user = process.env.MONGODB_USER;
const pwd = process.env.MONGODB_PASSWORD;
if (!dbName || !user || !pwd) {
  throw new Error("MONGODB_DATABASE, MONGODB_USER and MONGODB_PASSWORD must be set");
}
db.getSiblingDB(dbName).createUser({ user, pwd, roles: [{ role: "readWrite", db: dbName }] });
