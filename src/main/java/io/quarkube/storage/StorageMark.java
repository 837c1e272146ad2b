package io.quarkube.storage;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A named revision the store keeps about itself ({@code qk_meta}), such as the compacted revision. */
@Entity
@Table(name = "qk_meta")
public class StorageMark {

    static final String COMPACTED = "compacted";

    @Id
    @Column(name = "key")
    public String name;
    @Column(name = "value")
    public long revision;
}
