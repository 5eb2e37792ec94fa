package org.ipctestbed.ipc.conformance;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;
import org.ipctestbed.ipc.Handler;
import org.ipctestbed.ipc.IpcMessage;
import org.ipctestbed.ipc.Status;
import org.ipctestbed.substrate.Account;
import org.ipctestbed.substrate.Fiber;
import org.ipctestbed.substrate.Process;

/**
 * The server side of the conformance suite: a handler that records every delivery (which client,
 * which sequence number, how long a payload, in which order) and answers with an echo that a client
 * can check. Thread-safe: in the real engine handlers run on several carriers at once.
 *
 * <p>Request layout: word 0 the client's index, word 1 its sequence number, word 2 a nonce (or, for
 * {@link #OP_STATUS}, the status to return), word 3 nanoseconds of server work. The reply carries
 * words 0-6 of the request, word 7 a checksum of words 0-2 and the payload, and the payload itself.
 */
final class ConformanceHandler implements Handler {
  /** Echo the request; return OK. */
  static final int OP_ECHO = 1;

  /** Echo the request; return the status in word 2. */
  static final int OP_STATUS = 2;

  /** Echo after signalling {@link #inService()} and working for word 3 nanoseconds. */
  static final int OP_SLOW = 3;

  private final int clients;
  private final int perClient;
  private final AtomicIntegerArray count;
  private final AtomicIntegerArray length;
  private final AtomicIntegerArray perClientCount;
  private final AtomicLongArray lastSeq;
  private final AtomicInteger inversions = new AtomicInteger();
  private final AtomicInteger strangers = new AtomicInteger();
  private final AtomicBoolean inService = new AtomicBoolean();
  volatile IpcMessage forbiddenRequest;
  volatile IpcMessage forbiddenReply;
  private final AtomicInteger sawClientObject = new AtomicInteger();

  ConformanceHandler(int clients, int perClient) {
    this.clients = clients;
    this.perClient = perClient;
    count = new AtomicIntegerArray(clients * perClient);
    length = new AtomicIntegerArray(clients * perClient);
    perClientCount = new AtomicIntegerArray(clients);
    lastSeq = new AtomicLongArray(clients);
    for (int i = 0; i < clients; i++) {
      lastSeq.set(i, -1);
    }
  }

  @Override
  public int handle(Fiber self, IpcMessage request, IpcMessage reply) {
    if (request == forbiddenRequest || reply == forbiddenReply) {
      sawClientObject.incrementAndGet();
    }
    long client = request.word(0);
    long seq = request.word(1);
    if (client >= 0 && client < clients && seq >= 0 && seq < perClient) {
      int i = (int) (client * perClient + seq);
      count.incrementAndGet(i);
      length.set(i, request.length());
      perClientCount.incrementAndGet((int) client);
      if (lastSeq.getAndSet((int) client, seq) > seq) {
        inversions.incrementAndGet();
      }
    } else {
      strangers.incrementAndGet();
    }
    if (request.op() == OP_SLOW) {
      inService.set(true);
    }
    if (request.word(3) > 0) {
      // Whose account the CPU charges as the service starts and as it ends: what the ledger will
      // charge, observed without timing (the accounting tests read it on the real engine).
      (inServerAccount(self) ? startsInServer : startsElsewhere).incrementAndGet();
      self.work(request.word(3));
      (inServerAccount(self) ? endsInServer : endsElsewhere).incrementAndGet();
    }
    reply.op(request.op());
    for (int w = 0; w < IpcMessage.WORDS - 1; w++) {
      reply.word(w, request.word(w));
    }
    reply.word(IpcMessage.WORDS - 1, checksum(request));
    int n = Math.min(request.length(), reply.capacity());
    System.arraycopy(request.payload(), 0, reply.payload(), 0, n);
    reply.length(n);
    // A handler may scribble on its copy of the request: the client's own must not change.
    request.word(0, -1);
    if (request.length() > 0) {
      request.payload()[0] ^= 0x55;
    }
    return request.op() == OP_STATUS ? (int) request.word(2) : Status.OK;
  }

  /** The service's server process (set by the suite after export): whose account is the server's. */
  volatile Process server;

  private boolean inServerAccount(Fiber self) {
    Account a = self.cpu().chargedAccount();
    return a != null && a.process() == server;
  }

  /** Services with work that started (ended) while the CPU charged the server's own account, or another's. */
  final AtomicInteger startsInServer = new AtomicInteger();
  final AtomicInteger startsElsewhere = new AtomicInteger();
  final AtomicInteger endsInServer = new AtomicInteger();
  final AtomicInteger endsElsewhere = new AtomicInteger();

  /** Checksum of words 0-2 and the payload, as the reply's word 7 carries it. */
  static long checksum(IpcMessage m) {
    long h = m.word(0) * 0x9E3779B97F4A7C15L + m.word(1);
    h = h * 31 + m.word(2);
    byte[] p = m.payload();
    for (int i = 0; i < m.length(); i++) {
      h = h * 31 + p[i];
    }
    return h;
  }

  /** How often (client, seq) was delivered. */
  int deliveries(int client, int seq) {
    return count.get(client * perClient + seq);
  }

  /** Payload length of the last delivery of (client, seq). */
  int length(int client, int seq) {
    return length.get(client * perClient + seq);
  }

  /** Deliveries from {@code client}, all sequence numbers. */
  int deliveries(int client) {
    return perClientCount.get(client);
  }

  /** Deliveries whose sequence number was lower than the previous one from the same client. */
  int inversions() {
    return inversions.get();
  }

  /** Deliveries whose client or sequence number was out of range: corrupted or invented messages. */
  int strangers() {
    return strangers.get();
  }

  /** How often the handler was given the client's own message object instead of a copy. */
  int sawClientObject() {
    return sawClientObject.get();
  }

  /** Whether an {@link #OP_SLOW} request has begun service. */
  boolean inService() {
    return inService.get();
  }
}
