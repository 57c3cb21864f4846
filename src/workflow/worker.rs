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
use crate::devices::DeviceEvent;
use crate::text;

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

impl Input {
    /// When the input happened.
    pub fn at(&self) -> DateTime<Utc> {
        match self {
            Input::Scan { at, .. } | Input::Tags { at, .. } | Input::Act { at, .. } => *at,
        }
    }

    /// The input a device event stands for: a scan, or a burst of tags (a
    /// single tag read being a burst of one), at the time it was read.
    /// Connection changes and errors are None (the device layer logs them);
    /// a scan that is not UTF-8 text is Err with the answer for it.
    pub fn from_device(event: DeviceEvent) -> Option<Result<Input, Feedback>> {
        match event {
            DeviceEvent::Scan(read) => Some(match read.text() {
                Some(text) => Ok(Input::Scan {
                    data: text.to_owned(),
                    at: read.at.wall,
                }),
                None => Err(Feedback::block(text!(
                    "A scan from {source} is not UTF-8 text",
                    source = read.source.to_string()
                ))),
            }),
            DeviceEvent::TagRead(tag) => Some(Ok(Input::Tags {
                epcs: vec![tag.epc_hex()],
                at: tag.at.wall,
            })),
            DeviceEvent::TagBurst(burst) => Some(Ok(Input::Tags {
                epcs: burst.epcs_hex(),
                at: burst.at.wall,
            })),
            DeviceEvent::Connected { .. }
            | DeviceEvent::Disconnected { .. }
            | DeviceEvent::Error { .. } => None,
        }
    }

    /// Runs the input through `engine`.
    pub fn run(&self, engine: &mut Engine) -> Feedback {
        match self {
            Input::Scan { data, at } => engine.scan(data, *at),
            Input::Tags { epcs, at } => engine.tags(epcs, *at),
            Input::Act { action, at } => engine.act(action.clone(), *at),
        }
    }
}

/// The engine running on its own thread.
#[derive(Debug)]
pub struct EngineWorker {
    inputs: Sender<Input>,
    thread: JoinHandle<Engine>,
}

impl EngineWorker {
    /// Moves `engine` to a new thread that answers every input with
    /// `answer(input, feedback, engine)`: the engine, after the step, for
    /// what a front end shows besides the feedback (its session, the
    /// journal's lists).
    pub fn spawn(
        engine: Engine,
        answer: impl FnMut(&Input, Feedback, &Engine) + Send + 'static,
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
    mut answer: impl FnMut(&Input, Feedback, &Engine),
) -> Engine {
    for input in queue {
        let feedback = input.run(&mut engine);
        answer(&input, feedback, &engine);
    }
    engine
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::journal::{Journal, Location, LocationKind, Operator, Product, ReferenceData};
    use crate::workflow::{Level, TaskKind};
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
        let worker = EngineWorker::spawn(engine, move |input, feedback, engine| {
            let task = engine.session().task;
            answers.send((input.clone(), feedback, task)).unwrap();
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
        let answers: Vec<(Input, Feedback, TaskKind)> = answered.iter().collect();
        let levels: Vec<Level> = answers.iter().map(|(_, f, _)| f.level).collect();
        assert_eq!(
            levels,
            [Level::Ok, Level::Ok, Level::Ok, Level::Prompt],
            "{answers:#?}"
        );
        assert!(answers[3].1.message.contains("not on the tags"));
        assert_eq!(answers[0].2, TaskKind::Idle, "signed in, no task yet");
        assert_eq!(answers[1].2, TaskKind::Receive);
        assert!(matches!(&answers[2].0, Input::Scan { data, .. } if data.ends_with("W1")));
        assert_eq!(engine.journal().last_seq(), 1);
    }
}
