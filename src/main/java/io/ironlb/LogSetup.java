package io.ironlb;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.jul.LevelChangePropagator;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.util.function.Predicate;

/**
 * IronLB's logging, set up in code (logback finds it as a service): one line per event on stderr,
 * {@code HH:mm:ss.SSS LEVEL logger message}, at the level in {@code IRONLB_LOG_LEVEL} (INFO when
 * unset or not a level), with java.util.logging's levels kept in step so that its level checks stay
 * cheap. A logback.xml did the same, but reading XML costs logback's Joran and the JDK's XML
 * parser, about 430 classes (280 and 150) that every speaker kept loaded for one file read at
 * start.
 *
 * <p>An operator's own configuration still wins: with {@code -Dlogback.configurationFile}, or a
 * {@code logback.xml} or {@code logback-test.xml} on the class path, this steps aside and logback
 * reads that file as usual.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_NORMAL_PRIORITY)
public final class LogSetup extends ContextAwareBase implements Configurator {

  /** The layout of a line. */
  static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level %logger{20} %msg%n";

  /** The environment variable that sets the root level. */
  static final String LEVEL_VARIABLE = "IRONLB_LOG_LEVEL";

  /**
   * fabric8 warns once per MetalLB kind that its API version is a beta: MetalLB's CRDs are, and an
   * operator can do nothing about it.
   */
  static final String FABRIC8_VERSION_WARNINGS =
      "io.fabric8.kubernetes.client.dsl.internal.VersionUsageUtils";

  private final Predicate<String> onClassPath;
  private final String configurationFile;
  private final String level;

  /** As logback's service loader creates it: the process's class path, properties and variables. */
  public LogSetup() {
    this(
        name -> LogSetup.class.getClassLoader().getResource(name) != null,
        System.getProperty("logback.configurationFile"),
        System.getenv(LEVEL_VARIABLE));
  }

  LogSetup(Predicate<String> onClassPath, String configurationFile, String level) {
    this.onClassPath = onClassPath;
    this.configurationFile = configurationFile;
    this.level = level;
  }

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    if (configurationFile != null
        || onClassPath.test("logback-test.xml")
        || onClassPath.test("logback.xml")) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    LevelChangePropagator jul = new LevelChangePropagator();
    jul.setContext(context);
    jul.setResetJUL(true);
    context.addListener(jul);
    jul.start();

    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern(PATTERN);
    encoder.start();
    ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
    stderr.setContext(context);
    stderr.setName("STDERR");
    stderr.setTarget("System.err");
    stderr.setEncoder(encoder);
    stderr.start();

    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.toLevel(level, Level.INFO));
    root.addAppender(stderr);
    context.getLogger(FABRIC8_VERSION_WARNINGS).setLevel(Level.ERROR);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }
}
