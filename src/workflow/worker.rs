//! The engine on its own thread: the touchscreen's UI thread and the device
//! threads never wait on the journal's `fsync`. Inputs (scans, tag bursts
//! and actions, each with its time) queue on a channel and are handled one at a time in
//! arrival order, exactly as a single-threaded session would; each answer
//! goes to the front end's callback (the UI hands it to its event loop).

use std::thread::{self, JoinHandle};

use chrono::{DateTime, Utc};
use crossbeam_channel::{Receiver, Sender};

use super::action::Action;
use super::engine::Engine;
use super::feedback::Feedback;

/// One input for the engine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// Data as a scanner sent it.
    Scan {
        /// The scanned data (symbology identifier and GS included).
        data: String,
        /// When it was scanned.
        at: DateTime<Utc>,
    },
    /// The tags an RFID reader read in one burst.
    Tags {
        /// Each EPC as hex.
        epcs: Vec<String>,
        /// When the burst ended.
        at: DateTime<Utc>,
    },
    /// A button or menu choice.
    Act {
        /// What was chosen.
        action: Action,
        /// When.
        at: DateTime<Utc>,
    },
}

/// The engine running on its own thread.
#[derive(Debug)]
pub struct EngineWorker {
    inputs: Sender<Input>,
    thread: JoinHandle<Engine>,
}

impl EngineWorker {
    /// Moves `engine` to a new thread that answers every input with
    /// `answer(input, feedback)`.
    pub fn spawn(
        engine: Engine,
        answer: impl FnMut(&Input, Feedback) + Send + 'static,
    ) -> std::io::Result<EngineWorker> {
        let (inputs, queue) = crossbeam_channel::unbounded();
        let thread = thread::Builder::new()
            .name("lotline-engine".into())
            .spawn(move || serve(engine, &queue, answer))?;
        Ok(EngineWorker { inputs, thread })
    }

    /// A sender for another producer of inputs (a device's forwarder).
    pub fn inputs(&self) -> Sender<Input> {
        self.inputs.clone()
    }

    /// Queues `input`; false when the engine thread has ended.
    pub fn send(&self, input: Input) -> bool {
        self.inputs.send(input).is_ok()
    }

    /// Lets the queued inputs finish, ends the thread once every sender is
    /// gone, and gives the engine back.
    pub fn stop(self) -> thread::Result<Engine> {
        drop(self.inputs);
        self.thread.join()
    }
}

/// The thread's loop: until every sender is dropped.
fn serve(
    mut engine: Engine,
    queue: &Receiver<Input>,
    mut answer: impl FnMut(&Input, Feedback),
) -> Engine {
    for input in queue {
        let feedback = match &input {
            Input::Scan { data, at } => engine.scan(data, *at),
            Input::Tags { epcs, at } => engine.tags(epcs, *at),
            Input::Act { action, at } => engine.act(action.clone(), *at),
        };
        answer(&input, feedback);
    }
    engine
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::journal::{Journal, Location, LocationKind, Operator, Product, ReferenceData};
    use crate::workflow::Level;
    use crate::workflow_config::WorkflowConfig;

    #[test]
    fn inputs_from_several_senders_are_answered_in_order_and_recorded() {
        let dir = tempfile::tempdir().unwrap();
        let mut journal = Journal::open(dir.path().join("journal.sqlite")).unwrap();
        journal
            .apply_reference(&ReferenceData {
                products: vec![Product {
                    gtin: "09506000134352".into(),
                    description: "Yoghurt 500 g".into(),
                    unit: "EA".into(),
                    lot_tracked: true,
                    expiry_tracked: true,
                    min_shelf_life_receipt_days: None,
                    min_shelf_life_shipment_days: None,
                }],
                locations: vec![Location {
                    code: "DOCK".into(),
                    barcode: None,
                    gln: None,
                    sgln: None,
                    zone: None,
                    kind: LocationKind::Dock,
                }],
                operators: vec![Operator {
                    badge: "BADGE-7".into(),
                    name: "Ana".into(),
                    role: "receiver".into(),
                }],
                ..ReferenceData::default()
            })
            .unwrap();
        let engine = Engine::new(journal, WorkflowConfig::default().settings().unwrap());
        let (answers, answered) = crossbeam_channel::unbounded();
        let worker = EngineWorker::spawn(engine, move |input, feedback| {
            answers.send((input.clone(), feedback)).unwrap();
        })
        .unwrap();
        let at = Utc.with_ymd_and_hms(2026, 11, 25, 9, 0, 0).unwrap();
        let device = worker.inputs();
        assert!(worker.send(Input::Scan {
            data: "BADGE-7".into(),
            at
        }));
        assert!(worker.send(Input::Act {
            action: Action::Receive { po: None },
            at
        }));
        device
            .send(Input::Scan {
                data: "(01)09506000134352(17)270531(30)12(10)W1".into(),
                at,
            })
            .unwrap();
        let case = crate::scan::epc::parse_tag_uri("urn:epc:tag:sgtin-96:1.9506000.013435.5")
            .unwrap()
            .to_hex();
        device
            .send(Input::Tags {
                epcs: vec![case],
                at,
            })
            .unwrap();
        drop(device);
        let engine = worker.stop().expect("the engine thread ends cleanly");
        let answers: Vec<(Input, Feedback)> = answered.iter().collect();
        let levels: Vec<Level> = answers.iter().map(|(_, f)| f.level).collect();
        assert_eq!(
            levels,
            [Level::Ok, Level::Ok, Level::Ok, Level::Prompt],
            "{answers:#?}"
        );
        assert!(answers[3].1.message.contains("not on the tags"));
        assert!(matches!(&answers[2].0, Input::Scan { data, .. } if data.ends_with("W1")));
        assert_eq!(engine.journal().last_seq(), 1);
    }
}
