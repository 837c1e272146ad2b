package io.quarkube.api.table;

import static io.quarkube.api.table.TableFixtures.ago;
import static io.quarkube.api.table.TableFixtures.cell;
import static io.quarkube.api.table.TableFixtures.cells;
import static io.quarkube.api.table.TableFixtures.json;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;

class NetworkPrintersTest {

    private static JsonNode service(String spec, String status) {
        return json("{'apiVersion':'v1','kind':'Service','metadata':{'name':'web','creationTimestamp':'"
                + ago(3 * 24 * 3600) + "'},'spec':" + spec + ",'status':" + status + "}");
    }

    /** The TYPE, CLUSTER-IP, EXTERNAL-IP and PORT(S) cells. */
    record Expected(String type, String clusterIp, String externalIp, String ports) {
    }

    static Stream<Arguments> services() {
        return Stream.of(
                Arguments.argumentSet("ClusterIP",
                        service("{'type':'ClusterIP','clusterIP':'10.96.0.10','clusterIPs':['10.96.0.10'],"
                                + "'ports':[{'port':53,'protocol':'UDP'},{'port':53,'protocol':'TCP'}]}", "{}"),
                        new Expected("ClusterIP", "10.96.0.10", "<none>", "53/UDP,53/TCP")),
                Arguments.argumentSet("headless without ports",
                        service("{'type':'ClusterIP','clusterIP':'None','clusterIPs':['None']}", "{}"),
                        new Expected("ClusterIP", "None", "<none>", "<none>")),
                Arguments.argumentSet("ClusterIP with external IPs",
                        service("{'type':'ClusterIP','clusterIPs':['10.96.0.11'],'externalIPs':['1.2.3.4'],"
                                + "'ports':[{'port':80,'protocol':'TCP'}]}", "{}"),
                        new Expected("ClusterIP", "10.96.0.11", "1.2.3.4", "80/TCP")),
                Arguments.argumentSet("NodePort",
                        service("{'type':'NodePort','clusterIPs':['10.96.0.12'],"
                                + "'ports':[{'port':80,'nodePort':30080,'protocol':'TCP'}]}", "{}"),
                        new Expected("NodePort", "10.96.0.12", "<none>", "80:30080/TCP")),
                Arguments.argumentSet("LoadBalancer pending",
                        service("{'type':'LoadBalancer','clusterIPs':['10.96.0.13'],"
                                + "'ports':[{'port':443,'nodePort':31443,'protocol':'TCP'}]}", "{}"),
                        new Expected("LoadBalancer", "10.96.0.13", "<pending>", "443:31443/TCP")),
                Arguments.argumentSet("LoadBalancer with ingress and external IPs",
                        service("{'type':'LoadBalancer','clusterIPs':['10.96.0.14'],'externalIPs':['9.9.9.9'],"
                                + "'ports':[{'port':80,'nodePort':30001,'protocol':'TCP'}]}",
                                "{'loadBalancer':{'ingress':[{'ip':'5.6.7.8'},{'hostname':'lb.example.com'}]}}"),
                        new Expected("LoadBalancer", "10.96.0.14", "5.6.7.8,lb.example.com,9.9.9.9",
                                "80:30001/TCP")),
                Arguments.argumentSet("ExternalName",
                        service("{'type':'ExternalName','externalName':'db.example.com'}", "{}"),
                        new Expected("ExternalName", "<none>", "db.example.com", "<none>")));
    }

    @ParameterizedTest
    @MethodSource("services")
    void formatsServiceAddressesAndPorts(JsonNode service, Expected expected) {
        Map<String, JsonNode> cells = cells("v1", "Service", service);

        assertEquals(expected, new Expected(cell(cells, "Type"), cell(cells, "Cluster-IP"),
                cell(cells, "External-IP"), cell(cells, "Port(s)")));
    }

    @Test
    void serviceShowsAgeAndWideSelector() {
        Map<String, JsonNode> cells = cells("v1", "Service", service(
                "{'type':'ClusterIP','clusterIPs':['10.96.0.1'],'selector':{'tier':'front','app':'web'}}", "{}"));

        assertEquals(List.of("3d", "app=web,tier=front"), List.of(cell(cells, "Age"), cell(cells, "Selector")));
    }

    @Test
    void endpointsShowTheFirstThreeAddressesAndHowManyMore() {
        JsonNode endpoints = json("{'apiVersion':'v1','kind':'Endpoints','metadata':{'name':'web'},'subsets':[{"
                + "'addresses':[{'ip':'10.1.0.1'},{'ip':'10.1.0.2'},{'ip':'10.1.0.3'},{'ip':'fd00::4'}],"
                + "'ports':[{'port':8080}]}]}");

        assertEquals("10.1.0.1:8080,10.1.0.2:8080,10.1.0.3:8080 + 1 more...",
                cell(cells("v1", "Endpoints", endpoints), "Endpoints"));
    }

    @Test
    void endpointSliceShowsPortsAndAddresses() {
        JsonNode slice = json("{'apiVersion':'discovery.k8s.io/v1','kind':'EndpointSlice','metadata':{"
                + "'name':'web-abc'},'addressType':'IPv4','ports':[{'name':'http','port':80}],"
                + "'endpoints':[{'addresses':['10.1.0.1']},{'addresses':['10.1.0.2']}]}");

        Map<String, JsonNode> cells = cells("discovery.k8s.io/v1", "EndpointSlice", slice);

        assertEquals(List.of("IPv4", "80", "10.1.0.1,10.1.0.2"), List.of(cell(cells, "AddressType"),
                cell(cells, "Ports"), cell(cells, "Endpoints")));
    }

    @Test
    void ipAddressShowsItsParentAsKubectlDoes() {
        JsonNode address = json("{'apiVersion':'networking.k8s.io/v1','kind':'IPAddress','metadata':{'name':'10.96.0.1'},"
                + "'spec':{'parentRef':{'group':'','resource':'services','namespace':'default','name':'kubernetes'}}}");

        assertEquals("services/default/kubernetes", cell(cells("networking.k8s.io/v1", "IPAddress", address), "ParentRef"));
    }

    @Test
    void serviceCidrShowsItsRanges() {
        JsonNode cidr = json("{'apiVersion':'networking.k8s.io/v1','kind':'ServiceCIDR','metadata':{'name':'kubernetes'},"
                + "'spec':{'cidrs':['10.96.0.0/12','fd00::/108']}}");

        assertEquals("10.96.0.0/12,fd00::/108", cell(cells("networking.k8s.io/v1", "ServiceCIDR", cidr), "CIDRs"));
    }
}
