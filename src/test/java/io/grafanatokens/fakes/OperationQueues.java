package io.grafanatokens.fakes;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumMap;
import java.util.Map;

/** Per-operation queues of one-shot things for a fake (injected faults, hooks); thread-safe. */
public final class OperationQueues<O extends Enum<O>, T> {
  private final Map<O, Deque<T>> queues;

  public OperationQueues(Class<O> operations) {
    this.queues = new EnumMap<>(operations);
  }

  /** Queues {@code item} for the next {@code times} requests of {@code op}. */
  public synchronized void add(O op, T item, int times) {
    Deque<T> queue = queues.computeIfAbsent(op, o -> new ArrayDeque<>());
    for (int i = 0; i < times; i++) {
      queue.addLast(item);
    }
  }

  /** The next queued item for {@code op}, or null. */
  public synchronized T next(O op) {
    Deque<T> queue = queues.get(op);
    return queue == null ? null : queue.pollFirst();
  }

  public synchronized void clear() {
    queues.clear();
  }
}
