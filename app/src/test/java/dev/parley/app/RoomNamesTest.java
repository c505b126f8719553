package dev.parley.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class RoomNamesTest {
  private static final RoomNames.Known LAB = new RoomNames.Known("r1", "lab");
  private static final RoomNames.Known LAB_CAPS = new RoomNames.Known("r2", "Lab");
  private static final RoomNames.Known CHINESE = new RoomNames.Known("r3", "实验室");
  private static final RoomNames.Known NAMED_LIKE_AN_ID = new RoomNames.Known("r4", "r1");

  @Test
  void anIdWinsOverANameThatLooksLikeIt() {
    assertThat(RoomNames.resolve("r1", List.of(LAB, NAMED_LIKE_AN_ID))).isEqualTo(LAB);
    assertThat(RoomNames.resolve("#r1", List.of(LAB, NAMED_LIKE_AN_ID))).isEqualTo(LAB);
  }

  @Test
  void aNameResolvesWithOrWithoutTheHash() {
    assertThat(RoomNames.resolve("#实验室", List.of(LAB, CHINESE))).isEqualTo(CHINESE);
    assertThat(RoomNames.resolve("实验室", List.of(LAB, CHINESE))).isEqualTo(CHINESE);
  }

  @Test
  void theExactNameWinsOverOneThatDiffersInCaseAndCaseIsIgnoredOtherwise() {
    assertThat(RoomNames.resolve("#Lab", List.of(LAB, LAB_CAPS))).isEqualTo(LAB_CAPS);
    assertThat(RoomNames.resolve("#LAB", List.of(LAB, CHINESE))).isEqualTo(LAB);
  }

  @Test
  void twoRoomsWithTheNameAreAnErrorListingTheirIds() {
    assertThatThrownBy(() -> RoomNames.resolve("#LAB", List.of(LAB, LAB_CAPS)))
        .isInstanceOf(CommandFailedException.class)
        .hasMessage("2 rooms are named LAB (ids r1, r2); name one by its id");
  }

  @Test
  void anUnknownRoomIsTakenAsAnIdForTheServerToJudge() {
    assertThat(RoomNames.resolve("#nowhere", List.of(LAB))).isEqualTo(new RoomNames.Known("nowhere", null));
    assertThatThrownBy(() -> RoomNames.resolve("#", List.of(LAB))).hasMessage("name a room: its id, or #NAME");
  }
}
