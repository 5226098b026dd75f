// A labelled drop-down whose first choice is "none of these" (an empty value):
// the desks' filters and the optional pickers on their forms. The blank choice's
// wording says what leaving it means ("Any", "None", "Anyone").
export interface Choice {
  value: string;
  label: string;
}

export function ChoiceField(props: {
  id: string;
  name: string;
  label: string;
  blank: string;
  choices: Choice[];
  selected?: string | null | undefined;
}): JSX.Element {
  return (
    <div class="field">
      <label for={props.id} safe>
        {props.label}
      </label>
      <select id={props.id} name={props.name}>
        <option value="" safe>
          {props.blank}
        </option>
        {props.choices.map((choice) => (
          <option value={choice.value} selected={props.selected === choice.value} safe>
            {choice.label}
          </option>
        ))}
      </select>
    </div>
  );
}
