//! The storage conformance suite: every behaviour is one function over
//! `&dyn Store`, run against SQLite (a temporary file) and PostgreSQL (a
//! fresh schema in the `test` database at 127.0.0.1:5432).

mod support;

use lotline::journal::{Event, EventBody, EventKind};
use lotline::journal::{LotState, LotStatus, Party, Product, ReferenceData};
use lotline::protocol::ChainBreakKind;
use lotline::server::secrets::SecretHash;
use lotline::server::store::{EnrollOutcome, Store, StoreError};
use support::{TestDb, batch, chain, chain_of, recorded_at};

/// Adds and enrolls device `name` as `dev`; returns its token hash.
async fn enrolled(store: &dyn Store, name: &str, dev: &str) -> SecretHash {
    let code = SecretHash::of(&format!("code-{name}"));
    let token = SecretHash::of(&format!("token-{name}"));
    store.add_device(name, code).await.unwrap();
    assert_eq!(
        store.enroll(code, dev, token).await.unwrap(),
        EnrollOutcome::Enrolled
    );
    token
}

async fn enrollment_uses_a_code_once(db: &TestDb) {
    let store = db.open().await;
    let token = enrolled(store.as_ref(), "dock-1", "dev-1").await;
    let again = store
        .enroll(SecretHash::of("code-dock-1"), "dev-9", SecretHash::of("t2"))
        .await
        .unwrap();
    assert_eq!(again, EnrollOutcome::UnknownCode);
    let cred = store.credential(token).await.unwrap().unwrap();
    assert_eq!(cred.device_id, "dev-1");
    assert!(cred.token_hash.matches(&token) && !cred.revoked);
    assert_eq!(store.credential(SecretHash::of("t2")).await.unwrap(), None);
    let duplicate = store.add_device("dock-1", SecretHash::of("other")).await;
    assert!(matches!(duplicate, Err(StoreError::DuplicateName(n)) if n == "dock-1"));
}

async fn a_device_id_enrolls_once(db: &TestDb) {
    let store = db.open().await;
    enrolled(store.as_ref(), "a", "dev-1").await;
    store
        .add_device("b", SecretHash::of("code-b"))
        .await
        .unwrap();
    let outcome = store
        .enroll(SecretHash::of("code-b"), "dev-1", SecretHash::of("tb"))
        .await
        .unwrap();
    assert_eq!(outcome, EnrollOutcome::DeviceIdTaken);
}

async fn revoking_disables_token_and_code(db: &TestDb) {
    let store = db.open().await;
    let token = enrolled(store.as_ref(), "a", "dev-1").await;
    store
        .add_device("pending", SecretHash::of("code-p"))
        .await
        .unwrap();
    assert!(store.revoke("dev-1").await.unwrap());
    assert!(!store.revoke("a").await.unwrap(), "already revoked");
    assert!(store.revoke("pending").await.unwrap());
    assert!(store.credential(token).await.unwrap().unwrap().revoked);
    let late = store
        .enroll(SecretHash::of("code-p"), "dev-2", SecretHash::of("tp"))
        .await
        .unwrap();
    assert_eq!(late, EnrollOutcome::UnknownCode);
    let devices = store.devices().await.unwrap();
    assert_eq!(devices.len(), 2);
    assert!(devices.iter().all(|d| d.revoked_at.is_some()));
    assert!(!store.revoke("nobody").await.unwrap());
}

async fn repeated_batch_is_a_no_op(db: &TestDb) {
    let store = db.open().await;
    enrolled(store.as_ref(), "a", "dev").await;
    let events = chain("dev", 5);
    let now = chrono::Utc::now();
    let first = store.ingest(batch("dev", &events), now).await.unwrap();
    assert_eq!(
        (first.acked_through, first.stored, first.duplicates),
        (5, 5, 0)
    );
    let again = store.ingest(batch("dev", &events), now).await.unwrap();
    assert_eq!(
        (again.acked_through, again.stored, again.duplicates),
        (5, 0, 5)
    );
    assert!(again.conflicts.is_empty() && again.chain_breaks.is_empty());
}

async fn a_gap_stores_the_prefix_then_resumes(db: &TestDb) {
    let store = db.open().await;
    enrolled(store.as_ref(), "a", "dev").await;
    let events = chain("dev", 6);
    let now = chrono::Utc::now();
    let sent = [&events[..3], &events[4..]].concat();
    let reply = store.ingest(batch("dev", &sent), now).await.unwrap();
    assert_eq!((reply.acked_through, reply.stored), (3, 3));
    let reply = store.ingest(batch("dev", &events[3..]), now).await.unwrap();
    assert_eq!((reply.acked_through, reply.stored), (6, 3));
    assert!(reply.chain_breaks.is_empty());
    let device = &store.devices().await.unwrap()[0];
    assert_eq!(device.acked_through, 6);
}

async fn a_conflict_overwrites_nothing(db: &TestDb) {
    let store = db.open().await;
    enrolled(store.as_ref(), "a", "dev").await;
    let events = chain("dev", 4);
    let now = chrono::Utc::now();
    store.ingest(batch("dev", &events[..3]), now).await.unwrap();
    let mut altered = events.clone();
    altered[1].body.quantity = 99;
    altered[1].hash = altered[1].compute_hash();
    let reply = store
        .ingest(batch("dev", &altered[1..]), now)
        .await
        .unwrap();
    assert_eq!((reply.acked_through, reply.stored), (3, 0));
    assert_eq!(reply.conflicts.len(), 1);
    assert_eq!(reply.conflicts[0].seq, 2);
    assert_eq!(reply.conflicts[0].stored_hash, events[1].hash.to_string());
    assert_eq!(
        reply.conflicts[0].received_hash,
        altered[1].hash.to_string()
    );
    // The original is still what is stored: it repeats cleanly.
    let reply = store.ingest(batch("dev", &events), now).await.unwrap();
    assert_eq!(
        (reply.acked_through, reply.stored, reply.duplicates),
        (4, 1, 3)
    );
}

async fn chain_breaks_are_flagged_and_listed(db: &TestDb) {
    let store = db.open().await;
    enrolled(store.as_ref(), "a", "dev").await;
    enrolled(store.as_ref(), "b", "other").await;
    let mut events = chain("dev", 3);
    events[1].body.lot = Some("EDITED".into());
    let reply = store
        .ingest(batch("dev", &events), chrono::Utc::now())
        .await
        .unwrap();
    assert_eq!(reply.acked_through, 3);
    assert_eq!(reply.chain_breaks.len(), 1);
    assert_eq!(reply.chain_breaks[0].kind, ChainBreakKind::HashMismatch);
    let listed = store.chain_breaks().await.unwrap();
    assert_eq!(listed, reply.chain_breaks);
    let devices = store.devices().await.unwrap();
    let count = |name: &str| {
        devices
            .iter()
            .find(|d| d.name == name)
            .unwrap()
            .chain_breaks
    };
    assert_eq!((count("a"), count("b")), (1, 0));
}

async fn reopening_keeps_everything(db: &TestDb) {
    let store = db.open().await;
    let token = enrolled(store.as_ref(), "a", "dev").await;
    store
        .ingest(batch("dev", &chain("dev", 2)), chrono::Utc::now())
        .await
        .unwrap();
    drop(store);
    let store = db.open().await;
    assert_eq!(
        store.credential(token).await.unwrap().unwrap().device_id,
        "dev"
    );
    assert_eq!(store.devices().await.unwrap()[0].acked_through, 2);
    store.ping().await.unwrap();
}

fn product(gtin: &str, description: &str) -> Product {
    Product {
        gtin: gtin.into(),
        description: description.into(),
        unit: "EA".into(),
        lot_tracked: true,
        expiry_tracked: false,
        min_shelf_life_receipt_days: None,
        min_shelf_life_shipment_days: None,
    }
}

fn status(lot: &str, state: LotState) -> LotStatus {
    LotStatus {
        gtin: "09506000134352".into(),
        lot: Some(lot.into()),
        state,
        reason: Some("supplier notice".into()),
        issued_by: "qa".into(),
        issued_at: chrono::DateTime::from_timestamp(1_800_000_000, 0).unwrap(),
    }
}

async fn reference_changes_follow_the_cursor(db: &TestDb) {
    let store = db.open().await;
    let empty = store.reference_since(0).await.unwrap();
    assert_eq!(empty.cursor, "0");
    assert_eq!(empty.changes, ReferenceData::default());
    let first = ReferenceData {
        products: vec![
            product("09506000134352", "Oats"),
            product("09506000134369", "Rye"),
        ],
        suppliers: vec![Party {
            id: "S1".into(),
            name: "Mill".into(),
            gln: None,
        }],
        ..ReferenceData::default()
    };
    let c1 = store.put_reference(&first).await.unwrap();
    let all = store.reference_since(0).await.unwrap();
    assert_eq!(all.cursor, c1.to_string());
    assert_eq!(all.changes.products.len(), 2);
    assert_eq!(all.changes.suppliers, first.suppliers);

    // A replaced product and a hold: only they come after c1.
    let second = ReferenceData {
        products: vec![product("09506000134369", "Rye flour")],
        lot_statuses: vec![status("A1", LotState::Held)],
        ..ReferenceData::default()
    };
    let c2 = store.put_reference(&second).await.unwrap();
    assert!(c2 > c1, "cursors only grow");
    let delta = store.reference_since(c1).await.unwrap();
    assert_eq!(delta.cursor, c2.to_string());
    assert_eq!(delta.changes, second);
    let released = ReferenceData {
        lot_statuses: vec![status("A1", LotState::Released)],
        ..ReferenceData::default()
    };
    let c3 = store.put_reference(&released).await.unwrap();
    let everything = store.reference_since(0).await.unwrap();
    assert_eq!(everything.cursor, c3.to_string());
    assert_eq!(everything.changes.products.len(), 2, "replaced, not added");
    assert_eq!(everything.changes.lot_statuses, released.lot_statuses);
    let none = store.reference_since(c3).await.unwrap();
    assert_eq!(
        (none.cursor, none.changes),
        (c3.to_string(), ReferenceData::default())
    );

    let known = store.known_keys().await.unwrap();
    assert_eq!(known.gtins.len(), 2);
    assert!(known.suppliers.contains("S1") && known.customers.is_empty());
    drop(store);
    let reopened = db.open().await;
    assert_eq!(
        reopened.reference_since(0).await.unwrap().cursor,
        c3.to_string()
    );
}

/// Seqs of `events`, sorted.
fn seqs(events: &[Event]) -> Vec<u64> {
    let mut seqs: Vec<u64> = events.iter().map(|e| e.seq).collect();
    seqs.sort_unstable();
    seqs
}

async fn reports_read_a_lots_events_a_period_and_a_carton(db: &TestDb) {
    let store = db.open().await;
    enrolled(store.as_ref(), "pack-1", "dev").await;
    const GTIN: &str = "09506000134352";
    let body = |kind, lot: Option<&str>, sscc: Option<&str>, quantity, expiry: Option<&str>| {
        let mut b = EventBody::new("badge-7", kind);
        b.gtin = lot.map(|_| GTIN.to_owned());
        b.lot = lot.filter(|l| !l.is_empty()).map(str::to_owned);
        b.sscc = sscc.map(str::to_owned);
        b.quantity = quantity;
        b.expiry = expiry.map(|d| d.parse().unwrap());
        b.purchase_order = Some("PO-1".into());
        b
    };
    use EventKind::{Packing, Receiving, Shipping};
    let mut bodies = vec![
        body(Receiving, Some("A"), None, 10, Some("2026-12-01")), // 1
        body(Receiving, Some("B"), None, 5, Some("2027-06-01")),  // 2
        body(Packing, Some("A"), Some("S1"), 4, None),            // 3
        body(Packing, Some("B"), Some("S1"), 2, None),            // 4
        body(Shipping, None, Some("S1"), 1, None),                // 5: the carton, whole
        body(Receiving, Some(""), None, 1, None),                 // 6: no lot
        body(Shipping, None, Some("S2"), 1, None),                // 7: another carton
    ];
    // 8: packing lot B (seq 4) undone: a correction copying its body.
    bodies.push(EventBody {
        quantity: 0,
        ..bodies[3].clone()
    });
    let mut events = chain_of("dev", bodies);
    events[7].body.correction_of = Some(events[3].event_id);
    events[7].hash = events[7].compute_hash();
    store
        .ingest(batch("dev", &events), chrono::Utc::now())
        .await
        .unwrap();

    let lot_a = store.lot_events(GTIN, Some("A")).await.unwrap();
    assert_eq!(seqs(&lot_a), [1, 3, 5]);
    for read in &lot_a {
        assert_eq!(
            read,
            &events[read.seq as usize - 1],
            "read back exactly as stored"
        );
    }
    let lot_b = store.lot_events(GTIN, Some("B")).await.unwrap();
    assert_eq!(seqs(&lot_b), [2, 4, 5, 8]);
    assert_eq!(seqs(&store.lot_events(GTIN, None).await.unwrap()), [6]);
    assert!(store.lot_events(GTIN, Some("Z")).await.unwrap().is_empty());

    // Seqs 3 and 4 by device time, and the correction of 4 recorded later.
    let period = store
        .period_events(recorded_at(3), recorded_at(5))
        .await
        .unwrap();
    assert_eq!(seqs(&period), [3, 4, 8]);
    assert!(
        store
            .period_events(recorded_at(9), recorded_at(20))
            .await
            .unwrap()
            .is_empty()
    );

    assert_eq!(seqs(&store.carton_packing("S1").await.unwrap()), [3, 4, 8]);
    assert!(store.carton_packing("S2").await.unwrap().is_empty());

    let by = |date: &str| date.parse::<chrono::NaiveDate>().unwrap();
    let a = (GTIN.to_owned(), Some("A".to_owned()));
    let b = (GTIN.to_owned(), Some("B".to_owned()));
    assert_eq!(store.lots_expiring_by(by("2026-11-30")).await.unwrap(), []);
    assert_eq!(
        store.lots_expiring_by(by("2026-12-01")).await.unwrap(),
        std::slice::from_ref(&a)
    );
    assert_eq!(
        store.lots_expiring_by(by("2030-01-01")).await.unwrap(),
        [a, b]
    );
}

async fn device_activity_follows_uploads_lag_and_conflicts(db: &TestDb) {
    let store = db.open().await;
    store
        .add_device("pending", SecretHash::of("code-p"))
        .await
        .unwrap();
    enrolled(store.as_ref(), "a", "dev").await;
    enrolled(store.as_ref(), "b", "quiet").await;
    let fresh = store.device_activity().await.unwrap();
    let names: Vec<_> = fresh.iter().map(|d| d.device.name.as_str()).collect();
    assert_eq!(names, ["a", "b", "pending"]);
    assert!(
        fresh
            .iter()
            .all(|d| d.last_seen_at.is_none() && d.conflicts == 0 && d.newest_event.is_none())
    );

    let events = chain("dev", 3);
    let at = |s: i64| chrono::DateTime::from_timestamp(s, 0).unwrap();
    store
        .ingest(batch("dev", &events[..2]), at(1_800_000_060))
        .await
        .unwrap();
    store
        .ingest(batch("dev", &events), at(1_800_000_090))
        .await
        .unwrap();
    let mut altered = events[..1].to_vec();
    altered[0].body.quantity = 99;
    altered[0].hash = altered[0].compute_hash();
    let reply = store
        .ingest(batch("dev", &altered), at(1_800_000_120))
        .await
        .unwrap();
    assert_eq!(reply.conflicts.len(), 1);

    for store in [store, db.open().await] {
        let activity = store.device_activity().await.unwrap();
        let a = &activity[0];
        assert_eq!(
            (a.device.device_id.as_deref(), a.device.acked_through),
            (Some("dev"), 3)
        );
        assert_eq!(
            a.last_seen_at,
            Some(at(1_800_000_120)),
            "the conflicting upload"
        );
        assert_eq!(a.conflicts, 1);
        let newest = a.newest_event.unwrap();
        assert_eq!(newest.recorded_at, events[2].recorded_at);
        assert_eq!(newest.received_at, at(1_800_000_090));
        let b = &activity[1];
        assert_eq!(
            (b.last_seen_at, b.newest_event, b.conflicts),
            (None, None, 0)
        );
        assert_eq!(activity[2].device.device_id, None);
        assert_eq!(
            activity
                .iter()
                .map(|d| d.device.clone())
                .collect::<Vec<_>>(),
            store.devices().await.unwrap()
        );
    }
}

/// Runs each behaviour against both backends, one test per pair.
macro_rules! conformance {
    ($($behaviour:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $behaviour() {
                    let db = super::TestDb::sqlite();
                    super::$behaviour(&db).await;
                    db.remove().await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test]
                async fn $behaviour() {
                    let db = super::TestDb::postgres().await;
                    super::$behaviour(&db).await;
                    db.remove().await;
                }
            )*
        }
    };
}

conformance!(
    enrollment_uses_a_code_once,
    a_device_id_enrolls_once,
    revoking_disables_token_and_code,
    repeated_batch_is_a_no_op,
    a_gap_stores_the_prefix_then_resumes,
    a_conflict_overwrites_nothing,
    chain_breaks_are_flagged_and_listed,
    reopening_keeps_everything,
    reference_changes_follow_the_cursor,
    reports_read_a_lots_events_a_period_and_a_carton,
    device_activity_follows_uploads_lag_and_conflicts,
);
