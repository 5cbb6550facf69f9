//! Uses a tier may prohibit, as codes a program can filter on: the EU AI Act's prohibited
//! practices (Art. 5) and high-risk areas (Annex III), and the use restrictions that responsible-AI
//! licences (OpenRAIL) commonly carry. Anything else a creator forbids is written in the terms'
//! words.

/// A use a tier's terms prohibit. Serialised as its [`ProhibitedUse::key`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProhibitedUse {
    BiometricIdentification,
    EmotionRecognition,
    SocialScoring,
    LawEnforcement,
    Migration,
    CriticalInfrastructure,
    EducationAssessment,
    Employment,
    CreditScoring,
    Medical,
    Military,
    Surveillance,
    Disinformation,
}

impl ProhibitedUse {
    pub const ALL: [Self; 13] = [
        Self::BiometricIdentification,
        Self::EmotionRecognition,
        Self::SocialScoring,
        Self::LawEnforcement,
        Self::Migration,
        Self::CriticalInfrastructure,
        Self::EducationAssessment,
        Self::Employment,
        Self::CreditScoring,
        Self::Medical,
        Self::Military,
        Self::Surveillance,
        Self::Disinformation,
    ];

    /// The code in a terms document and in Browse's URL.
    pub fn key(self) -> &'static str {
        match self {
            Self::BiometricIdentification => "biometric-identification",
            Self::EmotionRecognition => "emotion-recognition",
            Self::SocialScoring => "social-scoring",
            Self::LawEnforcement => "law-enforcement",
            Self::Migration => "migration",
            Self::CriticalInfrastructure => "critical-infrastructure",
            Self::EducationAssessment => "education-assessment",
            Self::Employment => "employment",
            Self::CreditScoring => "credit-scoring",
            Self::Medical => "medical",
            Self::Military => "military",
            Self::Surveillance => "surveillance",
            Self::Disinformation => "disinformation",
        }
    }

    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|u| u.key() == key.trim())
    }

    /// The use in words, to follow "not for".
    pub fn words(self) -> &'static str {
        match self {
            Self::BiometricIdentification => "identifying people from biometric data",
            Self::EmotionRecognition => "recognising emotions at work or in education",
            Self::SocialScoring => "scoring people's social behaviour",
            Self::LawEnforcement => "law enforcement",
            Self::Migration => "migration, asylum or border control",
            Self::CriticalInfrastructure => "safety components of critical infrastructure",
            Self::EducationAssessment => "admission to or assessment in education",
            Self::Employment => "recruitment or decisions about workers",
            Self::CreditScoring => "credit scoring or access to essential services",
            Self::Medical => "medical diagnosis or treatment decisions",
            Self::Military => "military uses or weapons",
            Self::Surveillance => "surveillance of people",
            Self::Disinformation => "generating or spreading disinformation",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_use_round_trips_through_its_code_and_has_words() {
        for use_ in ProhibitedUse::ALL {
            assert_eq!(ProhibitedUse::from_key(use_.key()), Some(use_));
            assert_eq!(serde_json::to_value(use_).unwrap(), use_.key());
            assert!(use_.key().bytes().all(|b| b.is_ascii_lowercase() || b == b'-'));
            assert!(!use_.words().is_empty() && use_.words().chars().next().unwrap().is_lowercase());
        }
        assert_eq!(ProhibitedUse::from_key("gambling"), None);
    }
}
