//! The I/O step's form, its pure half: the kinds of input and output a creator picks from, each
//! input or output turned into another kind with defaults that fit its shape (a flat `[1, 64]`
//! input becomes an 8×8 drawing pad), and class labels as typed. The page edits the draft's
//! `io` JSON through these, so the JSON (the advanced view) and the form never disagree.

use assay_inference::card::{FieldSpec, ImageSpec, InputKind, InputSpec, Labels, Layout, OutputKind, OutputSpec};
use assay_inference::tensor::DType;

/// Largest input a form of fields is offered for.
pub const MAX_FORM_FIELDS: usize = 256;

/// What a trial asks the person for, per input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InputChoice {
    Picture,
    Fields,
    FileBytes,
    Tensor,
    State,
}

impl InputChoice {
    pub const ALL: [InputChoice; 5] =
        [InputChoice::Picture, InputChoice::Fields, InputChoice::FileBytes, InputChoice::Tensor, InputChoice::State];

    /// The `<select>` value.
    pub fn key(self) -> &'static str {
        match self {
            InputChoice::Picture => "picture",
            InputChoice::Fields => "fields",
            InputChoice::FileBytes => "fileBytes",
            InputChoice::Tensor => "tensor",
            InputChoice::State => "state",
        }
    }

    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.key() == key)
    }

    /// What the form says.
    pub fn label(self) -> &'static str {
        match self {
            InputChoice::Picture => "A picture (drop, camera or drawing pad)",
            InputChoice::Fields => "Numbers in a form",
            InputChoice::FileBytes => "Any file's bytes",
            InputChoice::Tensor => "A tensor typed as JSON",
            InputChoice::State => "Memory fed with zeros (nothing to give)",
        }
    }

    /// The choice an input's kind is.
    pub fn of(kind: &InputKind) -> Self {
        match kind {
            InputKind::Image(_) => InputChoice::Picture,
            InputKind::Fields { .. } => InputChoice::Fields,
            InputKind::FileBytes { .. } => InputChoice::FileBytes,
            InputKind::Tensor => InputChoice::Tensor,
            InputKind::State => InputChoice::State,
        }
    }
}

/// How a trial shows an output.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutputChoice {
    Classes,
    Numbers,
    Tensor,
}

impl OutputChoice {
    pub const ALL: [OutputChoice; 3] = [OutputChoice::Classes, OutputChoice::Numbers, OutputChoice::Tensor];

    pub fn key(self) -> &'static str {
        match self {
            OutputChoice::Classes => "classes",
            OutputChoice::Numbers => "numbers",
            OutputChoice::Tensor => "tensor",
        }
    }

    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.key() == key)
    }

    pub fn label(self) -> &'static str {
        match self {
            OutputChoice::Classes => "Class scores (top classes as bars)",
            OutputChoice::Numbers => "Named numbers (a table)",
            OutputChoice::Tensor => "A raw tensor",
        }
    }

    pub fn of(kind: &OutputKind) -> Self {
        match kind {
            OutputKind::Classification { .. } => OutputChoice::Classes,
            OutputKind::Regression { .. } => OutputChoice::Numbers,
            OutputKind::Tensor => OutputChoice::Tensor,
        }
    }
}

/// `spec` asked for as `choice`, with defaults that fit its shape; a sentence when its shape
/// can't be given that way.
pub fn with_input_kind(spec: &InputSpec, choice: InputChoice) -> Result<InputSpec, String> {
    let count = spec.count();
    let name = &spec.name;
    let kind = match choice {
        InputChoice::Picture => InputKind::Image(picture_for(spec).ok_or_else(|| {
            format!(
                "{name} {:?} can't be a picture: a picture needs a [1, C, H, W] or [1, H, W, C] shape with 1 or 3 channels, or a flat square one such as [1, 64]",
                spec.shape
            )
        })?),
        InputChoice::Fields if count > MAX_FORM_FIELDS => {
            return Err(format!("{name} holds {count} values: a form has at most {MAX_FORM_FIELDS} fields"));
        }
        InputChoice::Fields => InputKind::Fields {
            fields: (0..count)
                .map(|i| FieldSpec { name: format!("{name}[{i}]"), min: None, max: None, default: 0.0 })
                .collect(),
        },
        InputChoice::FileBytes => {
            let begin = count.div_ceil(2);
            InputKind::FileBytes { begin, end: count - begin, padding: 0, block: 0 }
        }
        InputChoice::Tensor => InputKind::Tensor,
        InputChoice::State => InputKind::State,
    };
    if matches!(kind, InputKind::Image(_)) && spec.dtype != DType::F32 {
        return Err(format!("{name} is {}: pictures are fed as float32", spec.dtype.ort_name()));
    }
    Ok(InputSpec { kind, ..spec.clone() })
}

/// The picture `spec`'s shape holds: channels-first or channels-last, or a flat square of grey.
fn picture_for(spec: &InputSpec) -> Option<ImageSpec> {
    let (width, height, channels, layout) = match *spec.shape.as_slice() {
        [1, c @ (1 | 3), h, w] => (w, h, c, Layout::Nchw),
        [1, h, w, c @ (1 | 3)] => (w, h, c, Layout::Nhwc),
        _ => {
            let side = spec.flat_picture_side()?;
            (side, side, 1, Layout::Nchw)
        }
    };
    Some(ImageSpec::plain(width, height, channels, layout))
}

/// `spec` shown as `choice`; `classes`: the size of the axis that holds the scores, when known
/// (labels `0`, `1`, … until the creator names them).
pub fn with_output_kind(spec: &OutputSpec, choice: OutputChoice, classes: Option<usize>) -> OutputSpec {
    let kind = match (choice, &spec.kind) {
        (OutputChoice::Classes, OutputKind::Classification { .. }) => spec.kind.clone(),
        (OutputChoice::Classes, _) => {
            let n = classes.unwrap_or(2).max(1);
            OutputKind::Classification {
                labels: Labels::Inline((0..n).map(|c| c.to_string()).collect()),
                softmax: false,
                top_k: n.min(5),
            }
        }
        (OutputChoice::Numbers, OutputKind::Regression { .. }) => spec.kind.clone(),
        (OutputChoice::Numbers, _) => OutputKind::Regression { names: Vec::new(), unit: None },
        (OutputChoice::Tensor, _) => OutputKind::Tensor,
    };
    OutputSpec { kind, ..spec.clone() }
}

/// Labels as typed: one per line, or comma-separated on one line; blanks dropped.
pub fn labels_from_text(text: &str) -> Vec<String> {
    let lines: Vec<&str> = text.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    let parts: Vec<&str> = match lines.as_slice() {
        [one] => one.split(',').map(str::trim).collect(),
        _ => lines,
    };
    parts.into_iter().filter(|l| !l.is_empty()).map(str::to_owned).collect()
}

/// Labels as the form shows them: one per line.
pub fn labels_text(labels: &[String]) -> String {
    labels.join("\n")
}

#[cfg(test)]
mod tests {
    use assay_inference::IoSchema;

    use super::*;

    fn input(shape: &[usize], dtype: DType) -> InputSpec {
        InputSpec { name: "x".into(), dtype, shape: shape.to_vec(), sizes: Vec::new(), kind: InputKind::Tensor }
    }

    fn schema(input: InputSpec, output: OutputSpec) -> IoSchema {
        IoSchema { version: assay_inference::card::IO_VERSION, inputs: vec![input], outputs: vec![output] }
    }

    fn raw_output() -> OutputSpec {
        OutputSpec { name: "y".into(), kind: OutputKind::Tensor }
    }

    #[test]
    fn a_flat_square_input_becomes_a_drawing_pad_that_passes_the_checks() {
        let pad = with_input_kind(&input(&[1, 64], DType::F32), InputChoice::Picture).unwrap();
        let InputKind::Image(image) = &pad.kind else { panic!("{pad:?}") };
        assert_eq!((image.width, image.height, image.channels), (8, 8, 1));
        assert_eq!(pad.shape, [1, 64], "the shape the model takes is kept");
        schema(pad, raw_output()).check().unwrap();
    }

    #[test]
    fn pictures_follow_the_layout_of_the_shape() {
        let nchw = with_input_kind(&input(&[1, 3, 32, 48], DType::F32), InputChoice::Picture).unwrap();
        let InputKind::Image(image) = &nchw.kind else { panic!() };
        assert_eq!((image.width, image.height, image.channels, image.layout), (48, 32, 3, Layout::Nchw));
        let nhwc = with_input_kind(&input(&[1, 20, 10, 1], DType::F32), InputChoice::Picture).unwrap();
        let InputKind::Image(image) = &nhwc.kind else { panic!() };
        assert_eq!((image.width, image.height, image.channels, image.layout), (10, 20, 1, Layout::Nhwc));
        schema(nhwc, raw_output()).check().unwrap();
    }

    #[test]
    fn shapes_that_are_not_pictures_or_forms_are_refused_in_words() {
        let refused = with_input_kind(&input(&[1, 60], DType::F32), InputChoice::Picture).unwrap_err();
        assert!(refused.contains("x [1, 60] can't be a picture"), "{refused}");
        let ints = with_input_kind(&input(&[1, 64], DType::I64), InputChoice::Picture).unwrap_err();
        assert_eq!(ints, "x is int64: pictures are fed as float32");
        let big = with_input_kind(&input(&[1, 300], DType::F32), InputChoice::Fields).unwrap_err();
        assert_eq!(big, "x holds 300 values: a form has at most 256 fields");
    }

    #[test]
    fn fields_bytes_tensors_and_states_fit_any_count() {
        let scalar = with_input_kind(&input(&[], DType::I64), InputChoice::Fields).unwrap();
        assert!(matches!(&scalar.kind, InputKind::Fields { fields } if fields.len() == 1 && fields[0].name == "x[0]"));
        schema(scalar, raw_output()).check().unwrap();
        let bytes = with_input_kind(&input(&[1, 7], DType::F32), InputChoice::FileBytes).unwrap();
        assert_eq!(bytes.kind, InputKind::FileBytes { begin: 4, end: 3, padding: 0, block: 0 });
        schema(bytes, raw_output()).check().unwrap();
        let state = with_input_kind(&input(&[2, 1, 128], DType::F32), InputChoice::State).unwrap();
        assert_eq!(
            (InputChoice::of(&state.kind), state.shape.as_slice()),
            (InputChoice::State, [2, 1, 128].as_slice())
        );
        for choice in InputChoice::ALL {
            assert_eq!(InputChoice::from_key(choice.key()), Some(choice));
        }
    }

    #[test]
    fn outputs_switch_kind_keeping_what_was_given() {
        let classes = with_output_kind(&raw_output(), OutputChoice::Classes, Some(10));
        let OutputKind::Classification { labels: Labels::Inline(labels), top_k, .. } = &classes.kind else { panic!() };
        assert_eq!((labels.len(), labels[9].as_str(), *top_k), (10, "9", 5));
        let named = OutputSpec {
            kind: OutputKind::Classification { labels: Labels::Inline(vec!["cat".into()]), softmax: true, top_k: 1 },
            ..raw_output()
        };
        assert_eq!(with_output_kind(&named, OutputChoice::Classes, Some(10)), named, "labels already given are kept");
        assert_eq!(with_output_kind(&named, OutputChoice::Tensor, None).kind, OutputKind::Tensor);
        for choice in OutputChoice::ALL {
            assert_eq!(OutputChoice::from_key(choice.key()), Some(choice));
        }
    }

    #[test]
    fn labels_are_read_one_per_line_or_comma_separated() {
        assert_eq!(labels_from_text("cat\n dog \n\nbird\n"), ["cat", "dog", "bird"]);
        assert_eq!(labels_from_text("cat, dog,bird"), ["cat", "dog", "bird"]);
        assert_eq!(labels_from_text("  "), Vec::<String>::new());
        assert_eq!(labels_from_text(&labels_text(&["a, b".into(), "c".into()])), ["a, b", "c"]);
    }
}
