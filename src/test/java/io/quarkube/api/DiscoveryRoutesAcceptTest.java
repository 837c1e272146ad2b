package io.quarkube.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Which discovery document an Accept header asks for ({@link DiscoveryRoutes#aggregatedType}), without a server. */
class DiscoveryRoutesAcceptTest {

    private static final String V2 = Discovery.AGGREGATED_V2;
    private static final String V2BETA1 = Discovery.AGGREGATED_V2BETA1;

    static Stream<Arguments> accepts() {
        return Stream.of(
                argumentSet("no header", null, null),
                argumentSet("plain JSON", "application/json", null),
                argumentSet("anything", "*/*", null),
                argumentSet("kubectl 1.30+", V2 + "," + V2BETA1 + ",application/json", V2),
                argumentSet("kubectl 1.27", V2BETA1 + ",application/json", V2BETA1),
                argumentSet("client order decides", V2BETA1 + "," + V2, V2BETA1),
                argumentSet("spaces around types", " application/json ,  " + V2, V2),
                argumentSet("parameters in another order", "application/json;as=APIGroupDiscoveryList;v=v2;g=apidiscovery.k8s.io", V2),
                argumentSet("unknown version skipped",
                        "application/json;g=apidiscovery.k8s.io;v=v3;as=APIGroupDiscoveryList," + V2BETA1, V2BETA1),
                argumentSet("only an unknown version", "application/json;g=apidiscovery.k8s.io;v=v3;as=APIGroupDiscoveryList", null),
                argumentSet("protobuf is not served: JSON next",
                        "application/vnd.kubernetes.protobuf;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList," + V2BETA1, V2BETA1),
                argumentSet("another group", "application/json;g=example.com;v=v2;as=APIGroupDiscoveryList", null));
    }

    @ParameterizedTest
    @MethodSource("accepts")
    void aggregatedType(String accept, String expected) {
        assertEquals(expected, DiscoveryRoutes.aggregatedType(accept));
    }
}
