import { createServer } from 'node:http';
import { Server } from 'socket.io';

/**
 * The baseline of the channels benchmark: a bare Socket.IO server with the same fan-out shape
 * (join rooms, send with an ack carrying a per-room sequence, emit to the room) and nothing else:
 * no authentication, no validation, no database. Run as its own process so its memory is its own.
 */
const http = createServer((req, res) => {
  if (req.url === '/memory') {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(process.memoryUsage()));
    return;
  }
  res.statusCode = 404;
  res.end();
});
const io = new Server(http, { perMessageDeflate: false, maxHttpBufferSize: 256 * 1024 });
const seqs = new Map<string, number>();

io.on('connection', (socket) => {
  socket.on('join', (room: string, ack: (r: { ok: true }) => void) => {
    void socket.join(room);
    ack({ ok: true });
  });
  socket.on(
    'send',
    (m: { room: string; clientId: string; text: string }, ack: (r: { seq: number; createdAt: string }) => void) => {
      const seq = (seqs.get(m.room) ?? 0) + 1;
      seqs.set(m.room, seq);
      const createdAt = new Date().toISOString();
      io.to(m.room).emit('msg', { ...m, seq, createdAt });
      ack({ seq, createdAt });
    },
  );
});

http.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const a = http.address();
  console.log(`listening ${typeof a === 'object' && a ? a.port : 0}`);
});
process.on('SIGTERM', () => {
  void io.close();
  http.close(() => process.exit(0));
});
