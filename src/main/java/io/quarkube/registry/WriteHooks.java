package io.quarkube.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.smallrye.mutiny.Uni;

/**
 * A kind's work around its writes that needs I/O, as kube-apiserver's BeginCreate, BeginUpdate and
 * AfterDelete hooks: after admission and before the write the kind may take resources (a Service
 * its cluster IP and node ports), which the generic store then commits when the write succeeded
 * and reverts when it failed, so a failed write leaves nothing behind.
 */
public interface WriteHooks {

    WriteHooks NONE = new WriteHooks() {
    };

    /** What a write took, to keep or give back once the write's outcome is known. Neither ever fails. */
    interface Transaction {
        Transaction NONE = new Transaction() {
        };

        /** The write succeeded: give back what the old state held and the new one does not. */
        default Uni<Void> commit() {
            return Uni.createFrom().voidItem();
        }

        /** The write failed: give back what this transaction took. */
        default Uni<Void> revert() {
            return Uni.createFrom().voidItem();
        }
    }

    /** Called with the admitted object of a create; may complete it (assigned values) or fail with a StatusException. */
    default Uni<Transaction> beginCreate(ObjectNode object, boolean dryRun) {
        return Uni.createFrom().item(Transaction.NONE);
    }

    /** Called with the admitted replacement of old's main part; as {@link #beginCreate}. */
    default Uni<Transaction> beginUpdate(ObjectNode object, ObjectNode old, boolean dryRun) {
        return Uni.createFrom().item(Transaction.NONE);
    }

    /** Called once the object is gone from the store; never fails. */
    default Uni<Void> afterDelete(ObjectNode deleted) {
        return Uni.createFrom().voidItem();
    }
}
