# Disk bytes written per message row by SQLite itself, outside the server (issue 16): the message
# table as the store writes it, with or without each of its indexes, in WAL mode with
# synchronous=FULL, B rows per transaction, a PASSIVE checkpoint every 20 transactions and a
# TRUNCATE one at the end; bytes from /proc/self/io. VARIANT names what is on: "uniq" adds
# UNIQUE (sender_id, client_id) (and the search index), "nofts" leaves the trigram index out,
# "am16" sets FTS5 automerge to 16, "col" uses detail=column. Files go to /tmp/i16-fts.
#
#   python3 bench/sqlite-insert-bytes.py VARIANT ROWS B
#   e.g. for v in uniq fts fts_am16 fts_col nofts; do python3 bench/sqlite-insert-bytes.py $v 100000 500; done
import sqlite3, os, random, sys, time
variant = sys.argv[1]; N = int(sys.argv[2]); B = int(sys.argv[3])
os.makedirs("/tmp/i16-fts", exist_ok=True)
path = f"/tmp/i16-fts/{variant}.db"
for suf in ("", "-wal", "-shm"):
    try: os.remove(path+suf)
    except FileNotFoundError: pass
def wb():
    return int([l for l in open("/proc/self/io") if l.startswith("write_bytes")][0].split()[1])
c = sqlite3.connect(path, isolation_level=None)
c.execute("PRAGMA page_size=4096"); c.execute("PRAGMA journal_mode=WAL"); c.execute("PRAGMA synchronous=FULL")
c.execute("""CREATE TABLE messages(seq INTEGER PRIMARY KEY AUTOINCREMENT, conversation_id INT NOT NULL, sender_id INT NOT NULL,
 recipient_id INT, client_id TEXT NOT NULL, body TEXT NOT NULL, created_at INT NOT NULL, n INT NOT NULL DEFAULT 0 %s)""" % (", UNIQUE(sender_id, client_id)" if "uniq" in variant else ""))
c.execute("CREATE INDEX by_conv ON messages(conversation_id, seq)")
fts = "nofts" not in variant
if fts:
    detail = ", detail=column" if "col" in variant else ""
    c.execute(f"CREATE VIRTUAL TABLE s USING fts5(body, content='', tokenize='trigram'{detail})")
    if "am" in variant:
        am = int(variant.split("am")[1].split("_")[0])
        c.execute(f"INSERT INTO s(s, rank) VALUES('automerge', {am})")
    if "cm" in variant:
        c.execute(f"INSERT INTO s(s, rank) VALUES('crisismerge', 64)")
words = "the of to and a in is it you that he was for on are with as I his they be at one have this from or had by hot word but what some we can out other were all there when up use your how said an each she 你好 今天 开会 预算 文件 我们 项目 明天".split()
random.seed(1)
texts = []
for i in range(2000):
    t = ""
    while len(t) < 64: t += random.choice(words) + " "
    texts.append(t[:64])
start = wb(); t0 = time.time(); seq = 0
for b in range(N // B):
    c.execute("BEGIN")
    rows = []
    for i in range(B):
        seq += 1
        rows.append((seq % 100, seq % 200, seq % 200 + 1, "%08x-%04x-4%03x-a%03x-%012x" % (random.getrandbits(32), random.getrandbits(16), random.getrandbits(12), random.getrandbits(12), random.getrandbits(48)), texts[seq % 2000], seq))
    c.executemany("INSERT INTO messages(conversation_id, sender_id, recipient_id, client_id, body, created_at) VALUES (?,?,?,?,?,?)", rows)
    if fts:
        c.executemany("INSERT INTO s(rowid, body) VALUES (?, ?)", [(seq - B + 1 + i, rows[i][4]) for i in range(B)])
    c.execute("COMMIT")
    if b % 20 == 19: c.execute("PRAGMA wal_checkpoint(PASSIVE)")
c.execute("PRAGMA wal_checkpoint(TRUNCATE)")
el = time.time() - t0
print(f"{variant:16} {N} rows, batch {B}: {(wb()-start)/N:7.0f} B/row  {N/el:9.0f} rows/s  db {os.path.getsize(path)/N:5.0f} B/row")
