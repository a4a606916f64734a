package io.ironlb;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.jul.LevelChangePropagator;
import ch.qos.logback.classic.spi.Configurator.ExecutionStatus;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LogSetupTest {

  private java.util.logging.Level julRoot;

  @BeforeEach
  void saveJul() {
    julRoot = java.util.logging.Logger.getLogger("").getLevel();
  }

  @AfterEach
  void restoreJul() {
    // The propagator sets java.util.logging's levels for the whole test JVM.
    java.util.logging.Logger.getLogger("").setLevel(julRoot);
  }

  @ParameterizedTest(name = "IRONLB_LOG_LEVEL={0} -> {1}")
  @CsvSource(
      nullValues = "unset",
      value = {"unset, INFO", "DEBUG, DEBUG", "warn, WARN", "error, ERROR", "loud, INFO"})
  void theRootLevelComesFromTheVariable(String variable, String expected) {
    LoggerContext context = new LoggerContext();
    ExecutionStatus status = new LogSetup(name -> false, null, variable).configure(context);

    assertThat(status).isEqualTo(ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);
    assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).getLevel())
        .isEqualTo(Level.toLevel(expected));
    assertThat(context.getLogger(LogSetup.FABRIC8_VERSION_WARNINGS).getLevel())
        .isEqualTo(Level.ERROR);
    assertThat(context.getCopyOfListenerList())
        .singleElement()
        .isInstanceOf(LevelChangePropagator.class);
  }

  @Test
  void oneLinePerEventOnStderrAsTheLabAndOperatorsReadIt() {
    LoggerContext context = new LoggerContext();
    new LogSetup(name -> false, null, null).configure(context);
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    List<Appender<ILoggingEvent>> appenders = new ArrayList<>();
    root.iteratorForAppenders().forEachRemaining(appenders::add);

    assertThat(appenders).singleElement().isInstanceOf(ConsoleAppender.class);
    @SuppressWarnings("unchecked")
    ConsoleAppender<ILoggingEvent> stderr = (ConsoleAppender<ILoggingEvent>) appenders.get(0);
    assertThat(stderr.getTarget()).isEqualTo("System.err");
    assertThat(stderr.isStarted()).isTrue();
    LoggingEvent event =
        new LoggingEvent(
            Logger.class.getName(),
            context.getLogger("io.ironlb.l2.Announcer"),
            Level.INFO,
            "announcing 3 address(es): a, b, c",
            null,
            null);
    String line = new String(stderr.getEncoder().encode(event), StandardCharsets.UTF_8);
    assertThat(line)
        .matches(
            "\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  i\\.i\\.l2\\.Announcer announcing 3 address\\(es\\):"
                + " a, b, c"
                + System.lineSeparator());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "-Dlogback.configurationFile, /etc/ironlb/logback.xml, none",
    "logback.xml on the class path, , logback.xml",
    "logback-test.xml on the class path, , logback-test.xml"
  })
  void anOperatorsOwnFileWins(String why, String configurationFile, String resource) {
    LoggerContext context = new LoggerContext();
    Set<String> present = Set.of(resource);
    ExecutionStatus status =
        new LogSetup(present::contains, configurationFile, "DEBUG").configure(context);

    assertThat(status).as(why).isEqualTo(ExecutionStatus.INVOKE_NEXT_IF_ANY);
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    assertThat(root.iteratorForAppenders().hasNext()).as("nothing configured").isFalse();
    assertThat(context.getCopyOfListenerList()).isEmpty();
    assertThat(context.getLogger(LogSetup.FABRIC8_VERSION_WARNINGS).getLevel()).isNull();
  }
}
