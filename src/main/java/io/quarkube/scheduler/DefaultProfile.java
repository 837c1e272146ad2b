package io.quarkube.scheduler;

import java.util.List;

import io.quarkube.scheduler.framework.Framework;
import io.quarkube.scheduler.framework.Framework.WeightedScore;
import io.quarkube.scheduler.plugins.interpodaffinity.InterPodAffinity;
import io.quarkube.scheduler.plugins.nodeaffinity.NodeAffinity;
import io.quarkube.scheduler.plugins.nodename.NodeName;
import io.quarkube.scheduler.plugins.nodeports.NodePorts;
import io.quarkube.scheduler.plugins.nodeready.NodeReady;
import io.quarkube.scheduler.plugins.noderesources.BalancedAllocation;
import io.quarkube.scheduler.plugins.noderesources.NodeResourcesFit;
import io.quarkube.scheduler.plugins.nodeunschedulable.NodeUnschedulable;
import io.quarkube.scheduler.plugins.podtopologyspread.PodTopologySpread;
import io.quarkube.scheduler.plugins.selectorspread.SelectorSpread;
import io.quarkube.scheduler.plugins.tainttoleration.TaintToleration;

/**
 * The default-scheduler profile: kube-scheduler's default plugins in its order, with its score
 * weights (TaintToleration 3, NodeAffinity 2, PodTopologySpread 2, InterPodAffinity 2, the rest 1).
 */
final class DefaultProfile {

    private DefaultProfile() {
    }

    static Framework create(SelectorSpread.Selectors selectors, int percentageOfNodesToScore) {
        NodeResourcesFit fit = new NodeResourcesFit();
        NodePorts ports = new NodePorts();
        NodeAffinity nodeAffinity = new NodeAffinity();
        TaintToleration taints = new TaintToleration();
        PodTopologySpread spread = new PodTopologySpread();
        InterPodAffinity podAffinity = new InterPodAffinity();
        return new Framework(
                List.of(fit, ports, spread, podAffinity),
                List.of(new NodeUnschedulable(), new NodeName(), new NodeReady(), taints, nodeAffinity, ports, fit, spread,
                        podAffinity),
                List.of(new WeightedScore(taints, 3), new WeightedScore(nodeAffinity, 2), new WeightedScore(spread, 2),
                        new WeightedScore(podAffinity, 2), new WeightedScore(fit, 1), new WeightedScore(new BalancedAllocation(), 1),
                        new WeightedScore(new SelectorSpread(selectors), 1)),
                List.of(), percentageOfNodesToScore);
    }
}
