package dev.rewind.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Logging is set in code (LogSetup, found by logback through META-INF/services), not by an XML file. */
class LogSetupTest {
    @Test
    void logbackFindsItAndItKeepsTheLibrariesQuiet() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        assertThat(root.getAppender("STDERR")).as("the appender LogSetup adds").isNotNull();
        if (System.getenv("REWIND_LOG_LEVEL") == null) {
            assertThat(root.getLevel()).isEqualTo(Level.WARN);
        }
        assertThat(context.getLogger("org.mongodb.driver").getLevel()).isEqualTo(Level.ERROR);
        assertThat(context.getLogger("de.bwaldvogel").getLevel()).isEqualTo(Level.OFF);
        assertThat(context.getLogger("io.netty").getLevel()).isEqualTo(Level.ERROR);
    }

    @Test
    void aFreshContextIsSetTheSameWayAndVerboseTurnsOnRewindsDebugLogs() {
        LoggerContext fresh = new LoggerContext();
        LogSetup setup = new LogSetup();
        setup.setContext(fresh);
        assertThat(setup.configure(fresh)).isEqualTo(Configurator.ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);
        assertThat(fresh.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("STDERR")).isNotNull();
        assertThat(fresh.getLogger("de.bwaldvogel.mongo").getEffectiveLevel()).isEqualTo(Level.OFF);

        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        Level before = context.getLogger("dev.rewind").getLevel();
        try {
            CliRun.Result r = CliRun.run("snapshots", "--repo", "/nonexistent/rewind-repo", "--verbose");
            assertThat(r.exitCode()).as(r.toString()).isNotZero();
            assertThat(context.getLogger("dev.rewind.snapshot").isDebugEnabled()).isTrue();
        } finally {
            context.getLogger("dev.rewind").setLevel(before);
        }
    }
}
