package dev.parley.server.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.ByeReason;
import dev.parley.protocol.ServerFrame;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SessionFeedTest {
  /** An outbound that records what the session would write. */
  private static final class RecordingOutbound implements Outbound {
    final List<ServerFrame> sent = new ArrayList<>();
    ServerFrame closedWith;

    @Override
    public void send(ServerFrame frame, Runnable onWritten) {
      sent.add(frame);
      if (onWritten != null) {
        onWritten.run();
      }
    }

    @Override
    public void send(SharedFrame<?> frame, Runnable onWritten) {
      send(frame.frame(), onWritten);
    }

    @Override
    public void close(ServerFrame last) {
      closedWith = last;
    }

    @Override
    public String remoteAddress() {
      return "127.0.0.1";
    }

    @Override
    public String transport() {
      return "test";
    }

    List<Long> seqs() {
      return sent.stream().map(f -> ((ServerFrame.Message) f).seq()).toList();
    }
  }

  private static ServerFrame.Message message(long seq) {
    return new ServerFrame.Message(seq, "a", "b", "m" + seq, seq);
  }

  private static SharedFrame<ServerFrame.Message> live(long seq) {
    return new SharedFrame<>(message(seq));
  }

  @Test
  void liveMessagesDuringTheReplayWaitAndGoOutAfterItWithoutDuplicates() {
    RecordingOutbound out = new RecordingOutbound();
    Session session = new Session(out, 100);

    session.deliverLive(live(5), null);
    session.replay(message(3), null);
    session.deliverLive(live(6), null);
    session.replay(message(5), null);
    assertThat(out.seqs()).containsExactly(3L, 5L);

    session.endReplay();
    assertThat(out.seqs()).containsExactly(3L, 5L, 6L);

    session.deliverLive(live(7), null);
    session.deliverLive(live(7), null);
    assertThat(out.seqs()).containsExactly(3L, 5L, 6L, 7L);
  }

  @Test
  void nothingAtOrBelowTheSeqTheClientHoldsGoesOutLiveOrReplayed() {
    RecordingOutbound out = new RecordingOutbound();
    Session session = new Session(out, 100);
    session.deliverLive(live(9), null);
    session.skipThrough(10);
    session.replay(message(10), null);
    session.replay(message(11), null);
    session.endReplay();
    session.deliverLive(live(4), null);
    session.deliverLive(live(12), null);
    assertThat(out.seqs()).containsExactly(11L, 12L);
  }

  @Test
  void aSkippedDuplicateIsNotReportedAsWritten() {
    RecordingOutbound out = new RecordingOutbound();
    Session session = new Session(out, 100);
    List<Long> written = new ArrayList<>();
    session.replay(message(2), () -> written.add(2L));
    session.endReplay();
    session.deliverLive(live(2), () -> written.add(-2L));
    assertThat(written).containsExactly(2L);
  }

  @Test
  void tooManyHeldMessagesCloseTheSessionAsASlowConsumer() {
    RecordingOutbound out = new RecordingOutbound();
    Session session = new Session(out, 2);
    session.deliverLive(live(1), null);
    session.deliverLive(live(2), null);
    assertThat(out.closedWith).isNull();
    session.deliverLive(live(3), null);
    assertThat(out.closedWith).isEqualTo(new ServerFrame.Bye(null, ByeReason.SLOW_CONSUMER));
  }
}
