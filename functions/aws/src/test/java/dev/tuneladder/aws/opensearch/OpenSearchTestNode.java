package dev.tuneladder.aws.opensearch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.opensearch.common.settings.Settings;
import org.opensearch.env.Environment;
import org.opensearch.http.HttpServerTransport;
import org.opensearch.node.InternalSettingsPreparer;
import org.opensearch.node.Node;
import org.opensearch.node.NodeValidationException;
import org.opensearch.plugins.Plugin;
import org.opensearch.transport.Netty4Plugin;

/**
 * A single-node OpenSearch 2.19 cluster with the k-NN plugin, running inside the test JVM and serving HTTP on
 * 127.0.0.1 at a port the operating system picks.
 *
 * <p>The k-NN plugin jar is not a Maven dependency: the build unpacks it from the plugin zip and appends it to the
 * test classpath, so the plugin class is loaded by name. Only the lucene engine works here, because faiss and nmslib
 * need the plugin's native libraries, which the zip does not contain.
 */
final class OpenSearchTestNode implements AutoCloseable {

    private static final String KNN_PLUGIN_CLASS = "org.opensearch.knn.plugin.KNNPlugin";

    private final Node node;
    private final Path home;
    private final URI endpoint;

    private OpenSearchTestNode(Node node, Path home, URI endpoint) {
        this.node = node;
        this.home = home;
        this.endpoint = endpoint;
    }

    /** Starts a node with a fresh home folder; the caller closes it, which also deletes the folder. */
    static OpenSearchTestNode start() {
        Path home;
        try {
            home = Files.createTempDirectory("opensearch-node");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Settings settings = Settings.builder()
                .put("cluster.name", "tuneladder-test")
                .put("node.name", "node-0")
                .put("path.home", home.toString())
                .put("path.data", home.resolve("data").toString())
                .put("discovery.type", "single-node")
                .put("network.host", "127.0.0.1")
                .put("http.port", "0")
                .put("transport.port", "0")
                .put("http.type", Netty4Plugin.NETTY_HTTP_TRANSPORT_NAME)
                .put("transport.type", Netty4Plugin.NETTY_TRANSPORT_NAME)
                // The disk of a shared build machine may be fuller than the default watermarks allow.
                .put("cluster.routing.allocation.disk.threshold_enabled", false)
                .build();
        Environment environment = InternalSettingsPreparer.prepareEnvironment(settings, Map.of(), null, () -> "node-0");

        Node node = new EmbeddedNode(environment, List.of(Netty4Plugin.class, knnPluginClass()));
        try {
            node.start();
        } catch (NodeValidationException e) {
            throw new IllegalStateException("the embedded OpenSearch node failed its start checks", e);
        }
        InetSocketAddress address = node.injector().getInstance(HttpServerTransport.class)
                .boundAddress().publishAddress().address();
        URI endpoint = URI.create("http://127.0.0.1:" + address.getPort());
        return new OpenSearchTestNode(node, home, endpoint);
    }

    /** Returns the node's HTTP endpoint, such as {@code http://127.0.0.1:41234}. */
    URI endpoint() {
        return endpoint;
    }

    @Override
    public void close() throws IOException {
        node.close();
        try (var paths = Files.walk(home)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    private static Class<? extends Plugin> knnPluginClass() {
        try {
            return Class.forName(KNN_PLUGIN_CLASS).asSubclass(Plugin.class);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("the k-NN plugin class " + KNN_PLUGIN_CLASS + " is not on the test "
                    + "classpath: run the tests through Maven, which unpacks it into target/opensearch-knn", e);
        }
    }

    /** Opens {@link Node}'s constructor that takes plugin classes from the classpath instead of a plugins folder. */
    private static final class EmbeddedNode extends Node {
        EmbeddedNode(Environment environment, Collection<Class<? extends Plugin>> plugins) {
            super(environment, plugins, true);
        }
    }
}
