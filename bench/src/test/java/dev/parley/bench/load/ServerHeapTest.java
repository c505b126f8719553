package dev.parley.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Reading the heap from Prometheus text as Micrometer writes it. */
class ServerHeapTest {
  @Test
  void heapPoolsAreSummedAndTheOldGenerationKeptApart() {
    String metrics =
        """
        # TYPE jvm_memory_used_bytes gauge
        jvm_memory_used_bytes{area="heap",id="G1 Eden Space"} 2097152.0
        jvm_memory_used_bytes{area="heap",id="G1 Old Gen"} 4194304.0
        jvm_memory_used_bytes{area="heap",id="G1 Survivor Space"} 1048576.0
        jvm_memory_used_bytes{area="nonheap",id="Metaspace"} 9.9E7
        """;

    assertThat(ServerHeap.parse(metrics)).isEqualTo(new ServerHeap(7.0, 4.0));
  }

  @Test
  void aCollectorWithoutGenerationsHasNoOldGeneration() {
    assertThat(ServerHeap.parse("jvm_memory_used_bytes{area=\"heap\",id=\"ZHeap\"} 1048576.0\n").oldGenMiB()).isNull();
  }
}
