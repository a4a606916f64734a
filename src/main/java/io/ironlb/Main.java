package io.ironlb;

import org.slf4j.bridge.SLF4JBridgeHandler;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code ironlb} executable. One jar, several roles and tools, each a subcommand; see {@code
 * ironlb --help}.
 */
@Command(
    name = "ironlb",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = {
      "IronLB gives bare-metal Kubernetes clusters Services of type LoadBalancer.",
      "It reads MetalLB's metallb.io objects (IPAddressPool, L2Advertisement, BGPAdvertisement,",
      "BGPPeer, BFDProfile, Community) and announces addresses over ARP/NDP or BGP.",
      ""
    },
    subcommands = {
      ValidateCommand.class,
      PlanCommand.class,
      StandaloneCommand.class,
      SpeakerCommand.class,
      ControllerCommand.class,
      CrdsCommand.class,
      ClusterCredentialsCommand.class,
      DrainCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    // Libraries that log through java.util.logging go to logback like everything else.
    SLF4JBridgeHandler.removeHandlersForRootLogger();
    SLF4JBridgeHandler.install();
    System.exit(commandLine().execute(args));
  }

  /** The command line, with handlers that never show a stack trace for bad input. */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new Main());
    cl.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          commandLine.getErr().println("ironlb: " + describe(e));
          return 2;
        });
    return cl;
  }

  /**
   * One line for a failure: the first message along its causes (a refused connection's own
   * exception has none), else the exception's name.
   */
  static String describe(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      String m = t.getMessage();
      if (m != null && !m.isBlank()) {
        String line = m.strip().lines().findFirst().orElse(m);
        return t == e ? line : e.getClass().getSimpleName() + ": " + line;
      }
    }
    return e.getClass().getSimpleName();
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** The version from the jar manifest, or "development" when run from classes. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"ironlb " + (v == null ? "development" : v)};
    }
  }
}
