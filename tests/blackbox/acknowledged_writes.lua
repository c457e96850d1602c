-- wrk script: every request creates a new customer (POST /api/v1/customers); every answer is
-- written as "<status> <unix seconds> <email or ->" to one file per thread, so that the
-- scale-out test can check that each acknowledged (201) customer is in the database after.
-- Usage: wrk … -s acknowledged_writes.lua https://host:port -- OUT_FOLDER TOKEN
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("id", threads)
end

function init(args)
  out = assert(io.open(args[1] .. "/answers-" .. id .. ".txt", "w"))
  out:setvbuf("line")
  token = args[2]
  sent = 0
end

function request()
  sent = sent + 1
  local body = string.format(
    '{"name":"Load %d-%d","email":"load-%d-%d@example.com","satisfaction_score":%d}',
    id, sent, id, sent, sent % 5 + 1)
  return wrk.format("POST", "/api/v1/customers", {
    ["Host"] = "pulse.example.com",
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. token,
  }, body)
end

function response(status, headers, body)
  local email = status == 201 and body:match('"email":"([^"]+)"') or "-"
  out:write(status, " ", os.time(), " ", email, "\n")
end
