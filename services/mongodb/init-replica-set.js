// docker-compose.yml's one-shot `mongo-init`, run by mongosh as root on mongo1: forms replica
// set rs0 of mongo1..3 once (rs.initiate only when the set is not yet initiated), then waits
// until it has a primary and a majority of healthy members, so that the services started
// after it can write with w=majority. Safe to run again: an existing set is left as it is.
const members = ["mongo1:27017", "mongo2:27017", "mongo3:27017"];

function status() {
  try {
    return rs.status();
  } catch (error) {
    if (error.codeName === "NotYetInitialized") return null;
    throw error;
  }
}

if (status() === null) {
  // mongo1 (it holds the users) is preferred as primary; any member may be elected.
  rs.initiate({
    _id: "rs0",
    members: members.map((host, i) => ({ _id: i, host, priority: i === 0 ? 2 : 1 })),
  });
  print("mongo-init: replica set rs0 initiated");
}

for (let second = 0; second < 180; second++) {
  const current = status();
  const states = current ? current.members.map((m) => m.stateStr) : [];
  const healthy = states.filter((s) => s === "PRIMARY" || s === "SECONDARY").length;
  if (states.includes("PRIMARY") && healthy >= 2) {
    print(`mongo-init: rs0 has a primary and ${healthy} of 3 members up`);
    quit(0);
  }
  sleep(1000);
}
print("mongo-init: rs0 has no primary with a majority after 180 s");
quit(2); // not retried by the service's loop, unlike a connection refused
